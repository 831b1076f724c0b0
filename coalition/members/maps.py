"""A members map drawn as inline SVG on the server: one circle per country, no tiles, no internet."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django_countries import countries

# Approximate country positions (lat/lon) from the countryinfo package (MIT), data from mledoze/countries.
POSITIONS_FILE = Path(__file__).parent / "data" / "country_positions.csv"
WIDTH, HEIGHT = 360, 180  # equirectangular: one unit per degree


@cache
def country_positions() -> dict[str, tuple[float, float]]:
    with POSITIONS_FILE.open(newline="") as handle:
        return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    count: int
    x: float
    y: float
    r: float


def map_points(counts: list[tuple[str, int]]) -> list[MapPoint]:
    """Circles whose area grows with the number of members; countries without a position are left out
    of the picture (they are still in the list beside it)."""
    positions = country_positions()
    largest = max((n for _code, n in counts), default=1)
    names = dict(countries)
    points = []
    for code, n in counts:
        if code not in positions:
            continue
        lat, lon = positions[code]
        radius = 1.5 + 6 * math.sqrt(n / largest)
        points.append(
            MapPoint(
                code=code,
                name=str(names.get(code, code)),
                count=n,
                x=round(lon + 180, 2),
                y=round(90 - lat, 2),
                r=round(radius, 2),
            )
        )
    # Big circles first, so small ones stay visible on top.
    return sorted(points, key=lambda p: -p.r)
