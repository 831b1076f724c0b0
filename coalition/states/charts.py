"""Geometry of the pictures drawn as inline SVG on the server: the tile-grid world map and the progress chart.

No shapes, fonts or scripts come from the internet: templates turn these numbers into <svg> elements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.functional import Promise

TILE = 30  # px per grid cell (a tile is TILE - 2 wide, leaving a gap)

# Where each region's block of tiles sits, in grid cells, roughly as on a world map: (column, row, width).
REGION_BLOCKS = {
    "Americas": (0, 1, 6),
    "Europe": (7, 1, 8),
    "Africa": (7, 9, 8),
    "Asia": (16, 1, 8),
    "Oceania": (16, 9, 8),
    "": (0, 9, 6),  # states without a region, should any be added by hand
}


class MapState(Protocol):
    iso3: str
    status: str
    region: str
    subregion: str

    def get_absolute_url(self) -> str: ...


@dataclass(frozen=True)
class Tile:
    iso3: str
    name: str
    status: str
    status_label: str
    url: str
    x: int
    y: int
    matches: bool = True


@dataclass(frozen=True)
class RegionLabel:
    name: str
    x: int
    y: int


@dataclass(frozen=True)
class TileMap:
    tiles: list[Tile]
    labels: list[RegionLabel]
    width: int
    height: int
    tile_size: int = TILE - 2


def tile_map(
    states: Iterable[MapState],
    *,
    region_names: Mapping[str, str | Promise],
    status_labels: Mapping[str, str | Promise],
    matching: set[str] | None = None,
) -> TileMap:
    """One square per state, grouped by region then sub-region, each block filled row by row."""
    by_region: dict[str, list[MapState]] = {}
    for state in states:
        by_region.setdefault(state.region or "", []).append(state)
    tiles, labels = [], []
    bottom = 0
    for region, members in by_region.items():
        column, row, width = REGION_BLOCKS.get(region, REGION_BLOCKS[""])
        members.sort(key=lambda s: (s.subregion, s.iso3))
        labels.append(RegionLabel(str(region_names.get(region, region)), column * TILE, row * TILE - 8))
        for index, state in enumerate(members):
            x, y = (column + index % width) * TILE, (row + index // width) * TILE
            tiles.append(
                Tile(
                    iso3=state.iso3,
                    name=str(state),
                    status=state.status,
                    status_label=str(status_labels.get(state.status, state.status)),
                    url=state.get_absolute_url(),
                    x=x,
                    y=y,
                    matches=matching is None or state.iso3 in matching,
                )
            )
            bottom = max(bottom, y + TILE)
    width = max((c + w) * TILE for c, _r, w in REGION_BLOCKS.values())
    return TileMap(tiles=tiles, labels=labels, width=width, height=bottom + 4)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    path: str
    last: int
    last_y: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float = 0
    y: float = 0


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    start: date
    end: date


def step_chart(
    points: Sequence[tuple[date, dict[str, int]]],
    *,
    labels: Mapping[str, str | Promise],
    start: date,
    end: date,
    width: int = 720,
    height: int = 300,
) -> StepChart:
    """A step line per series: `points` are (date, {series: count}) in date order, each holding until the next."""
    left, right, top, bottom = 44, width - 150, 12, height - 28
    days = max((end - start).days, 1)
    highest = max([1, *(value for _d, values in points for value in values.values())])
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 10**9) if highest / s <= 6)
    top_value = -(-highest // step) * step

    def x(day: date) -> float:
        return round(left + (right - left) * (min(max(day, start), end) - start).days / days, 1)

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / top_value, 1)

    series = []
    for key, label in labels.items():
        value, d = 0, f"M{x(start)},{y(0)}"
        for day, values in points:
            if day > end:
                break
            new = values.get(key, 0)
            if new != value:
                d += f" H{x(day)} V{y(new)}"
                value = new
        d += f" H{x(end)}"
        series.append(Series(key=key, label=str(label), path=d, last=value, last_y=y(value)))
    x_ticks = [Tick(str(year), x=x(date(year, 1, 1))) for year in range(start.year + 1, end.year + 1)]
    if len(x_ticks) > 10:
        x_ticks = x_ticks[::2]
    y_ticks = [Tick(str(v), y=y(v)) for v in range(0, top_value + 1, step)]
    return StepChart(width, height, left, top, right, bottom, series, x_ticks, y_ticks, start, end)
