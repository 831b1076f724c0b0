"""The one world map of the site: where a point goes, and what the `includes/world_map.html` template draws.

Members, events, states, research (and the home page) build a `WorldMap` here and include the template; the
script `static/js/world-map.js` only makes small markers easy to tap. The map is drawn on the server as SVG
from the committed country outlines (data/world_outlines.tsv): no tiles, no CDN, no internet. Projection:
equirectangular, one map unit per degree (x = longitude + 180, y = 90 - latitude), cropped to the inhabited
latitudes. Decision 0019 says why.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.templatetags.static import static
from django.utils.functional import Promise

DATA = Path(__file__).parent / "data"
WIDTH = 360
NORTH, SOUTH = 84.0, -58.0  # latitudes shown: Greenland's tip to Cape Horn; Antarctica is left out
VIEWBOX = f"0 {90 - NORTH:g} {WIDTH} {NORTH - SOUTH:g}"
SMALL_STATE = 4.0  # square degrees: a state drawn smaller than this also gets a dot, so it can be seen and tapped

Number = float | int | Decimal


def project(lat: Number, lon: Number) -> tuple[float, float]:
    """(x, y) in map units of a latitude and longitude in degrees, clamped to the map."""
    lat_f = min(max(float(lat), SOUTH), NORTH)
    lon_f = min(max(float(lon), -180.0), 180.0)
    return round(lon_f + 180, 2), round(90 - lat_f, 2)


@cache
def country_centres() -> dict[str, tuple[float, float]]:
    """(lat, lon) of each country's centre, by ISO 3166 alpha-2 code (countryinfo, MIT; mledoze/countries)."""
    with (DATA / "country_centres.csv").open(newline="") as handle:
        return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}


@cache
def country_outlines() -> dict[str, str]:
    """SVG path of each country, by alpha-2 code, already in map units (built by lib/world_outlines.py)."""
    outlines = {}
    with (DATA / "world_outlines.tsv").open() as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, path = line.rstrip("\n").split("\t", 1)
            outlines[code] = path
    return outlines


@cache
def _outline_area(code: str) -> float:
    """Area of the bounding box of a country's outline, in square degrees (0 when there is no outline)."""
    numbers = country_outlines().get(code, "").replace("M", " ").replace("L", " ").replace("Z", " ").split()
    xs, ys = [float(n) for n in numbers[0::2]], [float(n) for n in numbers[1::2]]
    return (max(xs) - min(xs)) * (max(ys) - min(ys)) if xs else 0.0


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    approximate: bool  # True when placed at the country's centre because the exact place is missing or private


def place(*, lat: Number | None, lon: Number | None, country: str, exact: bool = True) -> Place | None:
    """Where something happens: its own coordinates when known (and `exact`, i.e. they may be shown), else the
    centre of its country, marked approximate; None when neither is known."""
    if exact and lat is not None and lon is not None:
        return Place(float(lat), float(lon), approximate=False)
    centre = country_centres().get(str(country or ""))
    if centre is None:
        return None
    return Place(centre[0], centre[1], approximate=True)


@dataclass(frozen=True)
class Marker:
    """A circle on the map. `label` is its accessible name and tooltip; `kind` a CSS modifier."""

    label: str
    x: float
    y: float
    r: float = 2.5
    href: str = ""
    kind: str = ""
    approximate: bool = False
    count: int = 1


@dataclass(frozen=True)
class Region:
    """A country's shape, filled by `kind` (e.g. a treaty status) and linked to `href`."""

    code: str
    label: str
    path: str
    href: str = ""
    kind: str = ""
    dimmed: bool = False


@dataclass(frozen=True)
class LegendEntry:
    kind: str
    label: str


@dataclass
class WorldMap:
    """Everything the template draws. `key` keeps element ids unique when a page shows two maps;
    `list_label`, when set, shows the linked markers as a list beside the map (the keyboard and small-screen
    way in)."""

    key: str
    title: str
    markers: list[Marker] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    note: str = ""
    list_label: str = ""
    outlines: list[str] = field(default_factory=list)
    viewbox: str = VIEWBOX
    width: int = WIDTH

    @property
    def background(self) -> str:
        """The plain world (one static SVG file) behind markers; maps of regions draw their own shapes."""
        return "" if self.regions else static("maps/world.svg")

    @property
    def listed(self) -> list[Marker]:
        return [marker for marker in self.markers if marker.href] if self.list_label else []

    @property
    def has_readout(self) -> bool:
        """Markers without a link say what they are when tapped (a live region under the map)."""
        return any(not marker.href for marker in self.markers)

    @property
    def has_approximate(self) -> bool:
        return any(marker.approximate for marker in self.markers)


def radius(count: int, largest: int, *, smallest: float = 1.5, spread: float = 6.0) -> float:
    """A circle whose area grows with `count`, relative to the largest on the map."""
    return round(smallest + spread * math.sqrt(count / max(largest, 1)), 2)


def markers_by_country(
    counts: Iterable[tuple[str, int]],
    *,
    label: Callable[[str, int], str],
    href: Callable[[str], str],
    names: Mapping[str, str | Promise] | None = None,
) -> list[Marker]:
    """One circle per country at its centre, sized by its count, biggest first (so small ones stay on top).
    `label(name, count)` words the marker; countries without a known centre are left off the picture."""
    counts = list(counts)
    largest = max((n for _code, n in counts), default=1)
    centres = country_centres()
    markers = []
    for code, n in counts:
        if code not in centres:
            continue
        x, y = project(*centres[code])
        name = str((names or {}).get(code, code))
        markers.append(Marker(label=label(name, n), x=x, y=y, r=radius(n, largest), href=href(code), count=n))
    return sorted(markers, key=lambda marker: -marker.r)


def place_marker(where: Place, *, label: str, href: str = "", kind: str = "", r: float = 2.5) -> Marker:
    x, y = project(where.lat, where.lon)
    return Marker(label=label, x=x, y=y, r=r, href=href, kind=kind, approximate=where.approximate)


def cluster_markers(cells: Iterable[Mapping[str, float]], *, kind: str, label: Callable[[int], str]) -> list[Marker]:
    """One circle per cell of grouped records ({lat, lon, n}), sized by how many it holds."""
    cells = list(cells)
    largest = int(max((cell["n"] for cell in cells), default=1))
    markers = [
        Marker(
            label=label(int(cell["n"])),
            x=project(cell["lat"], cell["lon"])[0],
            y=project(cell["lat"], cell["lon"])[1],
            r=radius(int(cell["n"]), largest, smallest=0.8, spread=5.0),
            kind=kind,
            count=int(cell["n"]),
        )
        for cell in cells
    ]
    return sorted(markers, key=lambda marker: -marker.r)


def ring_points(ring: Iterable[Iterable[Number]]) -> str:
    """A GeoJSON ring ([lon, lat], …) as an SVG `points` attribute (drawn as `outlines`)."""
    return " ".join(f"{float(lon) + 180:.3f},{90 - float(lat):.3f}" for lon, lat in ring)


def country_regions(
    countries: Iterable[tuple[str, str, str, str]], *, matching: set[str] | None = None
) -> tuple[list[Region], list[Marker]]:
    """Shapes for (alpha-2 code, label, kind, link) rows, and a dot for each country too small to see or tap
    (or without an outline). `matching`, when given, dims the countries not in it."""
    regions, dots = [], []
    centres = country_centres()
    outlines = country_outlines()
    for code, label, kind, href in countries:
        dimmed = matching is not None and code not in matching
        if code in outlines:
            regions.append(Region(code=code, label=label, path=outlines[code], href=href, kind=kind, dimmed=dimmed))
        if _outline_area(code) < SMALL_STATE and code in centres and not dimmed:
            x, y = project(*centres[code])
            dots.append(Marker(label=label, x=x, y=y, r=1.4, href=href, kind=kind))
    # Small shapes last, so a country inside another (Lesotho, San Marino) is drawn on top.
    regions.sort(key=lambda region: -_outline_area(region.code))
    return regions, dots
