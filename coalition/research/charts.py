"""Charts and the map of /research/, laid out on the server as SVG geometry: no script, no tiles, no internet."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Equirectangular, one unit per degree, like the members map; world.svg under static/ is drawn the same way.
MAP_WIDTH, MAP_HEIGHT = 360, 180


@dataclass(frozen=True)
class Bar:
    label: str
    killed: int
    injured: int
    x: float
    width: float
    killed_y: float
    killed_h: float
    injured_y: float
    injured_h: float


def column_chart(rows: list[dict[str, Any]], *, label: str, height: float = 120, width: float = 600) -> list[Bar]:
    """Stacked killed/injured columns, one per row, scaled to the tallest."""
    if not rows:
        return []
    largest = max((row["killed"] or 0) + (row["injured"] or 0) for row in rows) or 1
    step = width / len(rows)
    bars = []
    for index, row in enumerate(rows):
        killed, injured = row["killed"] or 0, row["injured"] or 0
        killed_h = height * killed / largest
        injured_h = height * injured / largest
        bars.append(
            Bar(
                label=str(row[label]),
                killed=killed,
                injured=injured,
                x=round(index * step + step * 0.1, 2),
                width=round(max(step * 0.8, 0.5), 2),
                killed_y=round(height - killed_h, 2),
                killed_h=round(killed_h, 2),
                injured_y=round(height - killed_h - injured_h, 2),
                injured_h=round(injured_h, 2),
            )
        )
    return bars


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    y: float
    width: float
    href: str = ""


def bar_list(items: list[tuple[str, int, str]], *, width: float = 300, row: float = 18) -> list[HBar]:
    """Horizontal bars (label, value, link), scaled to the largest value."""
    largest = max((value for _label, value, _href in items), default=0) or 1
    return [
        HBar(label=label, value=value, y=index * row, width=round(width * value / largest, 2), href=href)
        for index, (label, value, href) in enumerate(items)
    ]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    n: int


def cluster_dots(cells: list[dict[str, Any]]) -> list[Dot]:
    """One circle per cell at the cell's mean position; the area grows with the number of records."""
    largest = max((cell["n"] for cell in cells), default=1)
    dots = [
        Dot(
            x=round(cell["lon"] + 180, 2),
            y=round(90 - cell["lat"], 2),
            r=round(0.8 + 5 * math.sqrt(cell["n"] / largest), 2),
            n=cell["n"],
        )
        for cell in cells
    ]
    return sorted(dots, key=lambda dot: -dot.r)


def outline_points(polygon: list[list[float]]) -> str:
    """A GeoJSON ring ([lon, lat], …) as an SVG `points` attribute on the map."""
    return " ".join(f"{lon + 180:.3f},{90 - lat:.3f}" for lon, lat in polygon)


def cell_size(count_hint: int) -> float:
    """Finer cells when there is little to show, coarser ones so 100,000 points stay a few hundred circles."""
    if count_hint <= 500:
        return 0.25
    if count_hint <= 20_000:
        return 1.0
    return 2.0
