"""Rules every research record obeys, shared by the forms and the importer."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

EARLIEST = date(1940, 1, 1)
# Ceilings well above any real figure, so a typo or a hostile number is an error and not a stored record.
MAX_PEOPLE = 1_000_000  # killed, or injured, in one record
MAX_SUBMUNITIONS = 10_000_000  # in one strike
MAX_AREA_M2 = 100_000_000_000  # 100,000 km²: an area, or what was cleared of it in a year
BOUNDS_FILE = Path(__file__).parent / "data" / "country_bounds.csv"
# Degrees added around a country's box: coordinates are often rounded, and borders are rough here.
BOUNDS_MARGIN = 1.0


def date_problem(value: date, *, today: date) -> str | None:
    if value > today:
        return _("is in the future")
    if value < EARLIEST:
        return _("is before 1940")
    return None


def coordinates_problem(latitude: float | None, longitude: float | None) -> str | None:
    if (latitude is None) != (longitude is None):
        return _("give both latitude and longitude, or neither")
    if latitude is not None and not -90 <= latitude <= 90:
        return _("latitude must be between -90 and 90")
    if longitude is not None and not -180 <= longitude <= 180:
        return _("longitude must be between -180 and 180")
    return None


@cache
def country_bounds() -> dict[str, tuple[float, float, float, float]]:
    with BOUNDS_FILE.open(newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {
            row["iso3"]: (float(row["min_lat"]), float(row["max_lat"]), float(row["min_lon"]), float(row["max_lon"]))
            for row in csv.DictReader(lines)
        }


@cache
def state_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each state's box with its margin, (min_lat, max_lat, min_lon, max_lon): a point within it never warns."""
    return {
        iso3: (min_lat - BOUNDS_MARGIN, max_lat + BOUNDS_MARGIN, min_lon - BOUNDS_MARGIN, max_lon + BOUNDS_MARGIN)
        for iso3, (min_lat, max_lat, min_lon, max_lon) in country_bounds().items()
    }


def outside_state(iso3: str, latitude: float | None, longitude: float | None) -> bool:
    """True when the point is clearly outside the state's rough bounding box (unknown boxes never warn)."""
    if latitude is None or longitude is None:
        return False
    box = state_boxes().get(iso3)
    if box is None:
        return False
    min_lat, max_lat, min_lon, max_lon = box
    return not (min_lat <= latitude <= max_lat and min_lon <= longitude <= max_lon)


def amount_problem(value: int, *, maximum: int) -> str | None:
    if value < 0:
        return _("cannot be negative (%(value)s)") % {"value": value}
    if value > maximum:
        return _("%(value)s is more than %(maximum)s: please check it") % {"value": value, "maximum": maximum}
    return None


def breakdown_problems(counts: dict[str, int]) -> list[tuple[str, str]]:
    """(field, message) for each breakdown of a casualty record that exceeds what holds it.

    `counts` has `killed`, `injured` and the breakdown fields (`killed_female` …); a missing one counts 0. The
    rules: breakdowns that exclude each other (female and male; children and adults; girls, boys, women and men;
    civilians, military and deminers) add up to no more than the total, and a marginal count (female) is at least
    the sum of its cross-classified cells (girls and women).
    """
    from coalition.research.models import BREAKDOWNS, EXCLUSIVE_GROUPS, OUTCOMES

    problems: list[tuple[str, str]] = []
    for outcome in OUTCOMES:
        total = counts.get(outcome, 0)
        for group in EXCLUSIVE_GROUPS:
            names = [f"{outcome}_{name}" for name in group]
            value = sum(counts.get(name, 0) for name in names)
            if value > total:
                problems.append(
                    (
                        "/".join(names),
                        _("%(parts)s add up to %(value)s, more than the %(total)s %(outcome)s")
                        % {"parts": " + ".join(group), "value": value, "total": total, "outcome": outcome},
                    )
                )
        for breakdown in BREAKDOWNS:
            if not breakdown.parts:
                continue
            name = f"{outcome}_{breakdown.name}"
            parts = sum(counts.get(f"{outcome}_{part}", 0) for part in breakdown.parts)
            if parts > counts.get(name, 0):
                problems.append(
                    (
                        name,
                        _("%(value)s %(name)s, fewer than %(parts)s (%(sum)s)")
                        % {
                            "value": counts.get(name, 0),
                            "name": breakdown.name,
                            "parts": " + ".join(breakdown.parts),
                            "sum": parts,
                        },
                    )
                )
    return problems


def complete_breakdowns(counts: dict[str, int | None]) -> dict[str, int]:
    """Fill what a source left empty (None): a marginal count from its cells (female = girls + women), a total from
    its largest group of breakdowns; anything else empty is 0."""
    from coalition.research.models import BREAKDOWNS, EXCLUSIVE_GROUPS, OUTCOMES

    out: dict[str, int] = {name: value for name, value in counts.items() if value is not None}
    for outcome in OUTCOMES:
        for breakdown in BREAKDOWNS:
            name = f"{outcome}_{breakdown.name}"
            if name not in out:
                out[name] = sum(out.get(f"{outcome}_{part}", 0) for part in breakdown.parts)
        if outcome not in out:
            out[outcome] = max(sum(out[f"{outcome}_{name}"] for name in group) for group in EXCLUSIVE_GROUPS)
    return out
