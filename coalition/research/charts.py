"""Charts of /research/, laid out on the server as SVG geometry, and its map (drawn by coalition.lib.maps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.lib import maps


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


def cell_size(count_hint: int) -> float:
    """Finer cells when there is little to show, coarser ones so 100,000 points stay a few hundred circles."""
    if count_hint <= 500:
        return 0.25
    if count_hint <= 20_000:
        return 1.0
    return 2.0


def research_map(
    strike_cells: list[dict[str, Any]], area_cells: list[dict[str, Any]], area_outlines: list[list[list[float]]]
) -> maps.WorldMap:
    """Strikes and contaminated areas grouped into circles (nearby records share one), and the areas' outlines
    when few enough to draw."""
    areas = maps.cluster_markers(
        area_cells,
        kind="area",
        label=lambda n: ngettext("%(count)s contaminated area", "%(count)s contaminated areas", n) % {"count": n},
    )
    strikes = maps.cluster_markers(
        strike_cells,
        kind="strike",
        label=lambda n: ngettext("%(count)s strike", "%(count)s strikes", n) % {"count": n},
    )
    return maps.WorldMap(
        key="research",
        title=_(
            "Strikes (red) and contaminated areas (amber) recorded by the coalition; "
            "nearby records are grouped into one circle."
        ),
        markers=areas + strikes,
        outlines=[maps.ring_points(ring) for ring in area_outlines],
        legend=[maps.LegendEntry("strike", _("Strikes")), maps.LegendEntry("area", _("Contaminated areas"))],
        note=_("Select a circle to read how many records it groups; the charts below give the figures by state."),
    )
