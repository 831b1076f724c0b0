"""Geometry of the progress chart, drawn as inline SVG on the server (the world map is coalition.lib.maps).

No shapes, fonts or scripts come from the internet: templates turn these numbers into <svg> elements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise


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
