"""Builds `lib/data/world_outlines.tsv`, the country shapes every map draws, from the countryinfo package.

Run by hand when the outlines should change (`pip install countryinfo`, then
`python -m coalition.lib.world_outlines`): the site itself reads only the committed file, so maps need
no package, tile server or internet at run time. Geometry: Natural Earth (public domain) through
countryinfo (MIT), simplified to about a tenth of a degree.
"""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path

OUT = Path(__file__).parent / "data" / "world_outlines.tsv"
BACKGROUND = Path(__file__).parent.parent / "static" / "maps" / "world.svg"
TOLERANCE = 0.15  # degrees kept by the simplification
MIN_RING_AREA = 0.05  # square degrees; smaller islands are dropped unless they are the whole country


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        index, distance = 0, 0.0
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _path(polygons: list[list[list[list[float]]]]) -> str:
    # Every ring, holes included (drawn with fill-rule evenodd, so Lesotho is not covered by South Africa).
    rings = [[(float(lon), float(lat)) for lon, lat in ring] for polygon in polygons for ring in polygon if ring]
    largest = max((_area(ring) for ring in rings), default=0)
    parts = []
    for ring in rings:
        if _area(ring) < MIN_RING_AREA and _area(ring) < largest:
            continue
        simple = _simplify(ring, TOLERANCE)
        if len(simple) < 3:
            continue
        coords = [(round(lon + 180, 1), round(90 - lat, 1)) for lon, lat in simple]
        deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in deduped) + "Z")
    return "".join(parts)


def build() -> int:
    package = importlib.import_module("countryinfo")
    source = Path(str(package.__file__)).parent / "data"
    rows = []
    for file in sorted(source.glob("*.json")):
        data = json.loads(file.read_text())
        iso = data.get("ISO") or {}
        alpha2 = iso.get("alpha2")
        features = (data.get("geoJSON") or {}).get("features") or []
        if not alpha2 or not features or alpha2 == "AQ":
            continue
        geometry = features[0]["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        path = _path(polygons)
        if path:
            rows.append(f"{alpha2}\t{path}")
    OUT.write_text(
        "# Country outlines (ISO 3166-1 alpha-2, SVG path in map units: x = longitude + 180, y = 90 - latitude).\n"
        "# Natural Earth (public domain) via the countryinfo package (MIT); built by coalition/lib/world_outlines.py.\n"
        + "\n".join(sorted(rows))
        + "\n"
    )
    _write_background()
    return len(rows)


def _write_background() -> None:
    """The plain world behind maps of markers: the same outlines, one static file the browser caches."""
    from coalition.lib import maps

    maps.country_outlines.cache_clear()
    paths = "".join(f'<path d="{path}"/>' for path in maps.country_outlines().values())
    BACKGROUND.parent.mkdir(exist_ok=True)
    BACKGROUND.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{maps.VIEWBOX}">'
        "<!-- Natural Earth (public domain) via countryinfo (MIT); built by coalition/lib/world_outlines.py. -->"
        f'<g fill="#dfe6dd" stroke="#9aa79a" stroke-width="0.15" fill-rule="evenodd">{paths}</g></svg>\n'
    )


if __name__ == "__main__":
    import sys

    sys.stdout.write(f"{build()} countries written to {OUT}\n")
