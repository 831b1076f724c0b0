"""The import's fast path: rows that need no message become the insert's tuple without the full checks.

It restates `RowChecker.check` for speed, worked out once per file; `tests/test_import_paths_agree.py` holds both
paths to the same answers for any file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from coalition.research import validation
from coalition.research.importing.spec import (
    CHOICES,
    COLUMNS,
    COUNT_FIELDS,
    DEFAULTS,
    LEGACY_COLUMNS,
    MAX_LENGTHS,
    Column,
)
from coalition.research.models import BREAKDOWNS, EXCLUSIVE_GROUPS, OUTCOMES

if TYPE_CHECKING:
    from coalition.research.importing.checks import RowChecker
    from coalition.research.importing.writer import Writer

CountPlan = tuple[
    list[tuple[int, int]], list[int], list[tuple[int, tuple[int, ...]]], list[tuple[int, tuple[int, ...]]]
]


def _count_plan(position: dict[str, int]) -> CountPlan | None:
    """How the fast path fills the counts of a file with these columns, the rules of `RowChecker._counts` worked out
    once per file: cells to read (slot in COUNT_FIELDS, cell index); cells that must not be empty (the full path
    fills those from other cells); counts derived from others (a marginal from its cells: slot, part slots); and the
    limits to check (bound slot, slots that must not add up to more). None when the fast path does not apply (one
    person's sex, age group and status as old files give them, or a total missing beside its breakdowns)."""
    if any(column.field in position for column in LEGACY_COLUMNS):
        return None
    slot = {name: index for index, name in enumerate(COUNT_FIELDS)}
    read = [(slot[name], position[name]) for name in COUNT_FIELDS if name in position]
    present = {name for name in COUNT_FIELDS if name in position}
    must_fill: list[int] = []
    derived: list[tuple[int, tuple[int, ...]]] = []
    limits: list[tuple[int, tuple[int, ...]]] = []
    for outcome in OUTCOMES:
        names = {f"{outcome}_{b.name}" for b in BREAKDOWNS}
        if names & present:
            if outcome not in present:
                return None
            must_fill.append(position[outcome])
        for breakdown in BREAKDOWNS:
            name = f"{outcome}_{breakdown.name}"
            parts = tuple(f"{outcome}_{part}" for part in breakdown.parts)
            if not set(parts) & present:
                continue
            if name in present:
                must_fill.append(position[name])
                limits.append((slot[name], tuple(slot[part] for part in parts)))
            else:
                derived.append((slot[name], tuple(slot[part] for part in parts)))
        filled = present | {COUNT_FIELDS[target] for target, _parts in derived}
        for group in EXCLUSIVE_GROUPS:
            members = [f"{outcome}_{name}" for name in group]
            if filled & set(members):  # a group of counts that are all 0 is within any total
                limits.append((slot[outcome], tuple(slot[member] for member in members)))
    return read, must_fill, derived, limits


def fast_rows(
    columns: list[Column | None], checker: RowChecker, writer: Writer
) -> Callable[[list[str]], tuple[Any, ...] | None]:
    """A converter for the rows that need no message: it gives the row's tuple, or None to leave the row to
    `RowChecker.check`, which then names every problem and warning. It accepts only what `check` accepts without
    a problem or a warning, and gives the same values, so no rule is weaker on this path; what it does not
    recognise at once (case or spaces to tidy, large numbers, bad values) simply takes the full path."""
    width = len(columns)
    position: dict[str, int] = {}
    for index, column in enumerate(columns):
        if column:
            position[column.field] = index
    at = {column.field: position.get(column.field, width) for column in COLUMNS}  # width: the "" appended below

    i_state, i_date, i_end, i_lat, i_lon, i_source = (
        at[name] for name in ("state", "date", "date_end", "latitude", "longitude", "source")
    )
    choice_names = ("location_precision", "phase")
    i_precision, i_phase = (at[name] for name in choice_names)
    # Each choice field: its exact allowed values, and the empty cell, to the value kept.
    choice = {name: {**{v: v for v in CHOICES[name]}, "": DEFAULTS.get(name, "unknown")} for name in choice_names}
    precision, phase = (choice[name] for name in choice_names)
    lengths = [(at[name], limit) for name, limit in MAX_LENGTHS.items()]
    (i_place, l_place), (i_admin, l_admin), (i_activity, l_activity) = lengths[:3]
    (i_external, l_external), (i_name, l_name), (i_address, l_address) = lengths[3:]
    codes = checker.iso3
    counts = {str(n): n for n in range(1000)} | {"": 0}
    plan = _count_plan(position)
    boxes = validation.state_boxes()
    dates: dict[str, tuple[Any, int, date]] = {}
    today, adapt_date = checker.today, writer.adapt_date
    default_source, sources, fixed = checker.default_source, writer.sources, writer.fixed

    def day(text: str) -> tuple[Any, int, date] | None:
        """A valid date's (adapted value, year, date), cached: a file has few distinct dates."""
        known = dates.get(text)
        if known is None:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                return None
            if validation.date_problem(value, today=today):
                return None
            known = (adapt_date(value), value.year, value)
            if len(dates) < 100_000:
                dates[text] = known
        return known

    def convert(cells: list[str]) -> tuple[Any, ...] | None:
        if len(cells) != width:
            return None
        cells.append("")
        iso3 = codes.get(cells[i_state])
        start = day(cells[i_date])
        if iso3 is None or start is None:
            return None
        end_adapted = None
        if cells[i_end]:
            end = day(cells[i_end])
            if end is None or end[2] < start[2]:
                return None
            end_adapted = end[0]
        if plan is None:
            return None
        read, must_fill, derived, limits = plan
        values = [0] * len(COUNT_FIELDS)
        for slot, index in read:
            value = counts.get(cells[index])
            if value is None:
                return None
            values[slot] = value
        for index in must_fill:
            if not cells[index]:
                return None  # an empty total or marginal count that its breakdowns fill: left to `check`
        for slot, parts in derived:
            values[slot] = sum(values[part] for part in parts)
        for bound, parts in limits:
            if sum(values[part] for part in parts) > values[bound]:
                return None
        if not (values[0] or values[1]):
            return None
        lat_text, lon_text = cells[i_lat], cells[i_lon]
        lat: float | None
        lon: float | None
        if lat_text and lon_text:
            try:
                lat, lon = float(lat_text), float(lon_text)
            except ValueError:
                return None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                return None
            box = boxes.get(iso3)
            if box is not None and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
                return None  # a warning to report
        elif lat_text or lon_text:
            return None
        else:
            lat = lon = None
        kept_precision = precision.get(cells[i_precision])
        kept_phase = phase.get(cells[i_phase])
        if kept_precision is None or kept_phase is None:
            return None
        place, admin = cells[i_place].strip(), cells[i_admin].strip()
        activity, external = cells[i_activity].strip(), cells[i_external].strip()
        name, address = cells[i_name].strip(), cells[i_address].strip()
        title = cells[i_source].strip()
        if "'" in place[:1] + admin[:1] + activity[:1] + external[:1] + name[:1] + address[:1] + title[:1]:
            return None  # perhaps a cell an export neutralised: `unneutralised` on the full path
        if (
            len(place) > l_place
            or len(admin) > l_admin
            or len(activity) > l_activity
            or len(external) > l_external
            or len(name) > l_name
            or len(address) > l_address
        ):
            return None
        title = title[:300] or default_source
        source = sources.get(title)
        if source is None:
            source = writer.source_id(title)  # a dry run creates nothing: see Writer.source_id
        year = start[1]
        return (
            iso3, start[0], end_adapted, year, place, admin, lat, lon, kept_precision, *values, activity, kept_phase,
            source, external, name, address, *fixed,
        )  # fmt: skip

    return convert
