"""Import of casualty records from CSV or HXL-tagged CSV: streamed, checked row by row, all or nothing.

A file is read once, in batches, so a million rows fit in bounded memory. Every bad row is reported
(row number as a spreadsheet shows it, field, reason); if there is any, nothing is kept. Rows go in
through the database driver in batches (`executemany`, or COPY on PostgreSQL) inside one transaction:
the per-row cost of building model instances would otherwise dominate a large import.
"""

from __future__ import annotations

import csv
import io
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.lib.csv_export import FORMULA_PREFIXES
from coalition.lib.imports import ImportRejected
from coalition.members.models import Organisation
from coalition.research import selectors, services, validation
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    BREAKDOWNS,
    EXCLUSIVE_GROUPS,
    OUTCOMES,
    Casualty,
    ImportJob,
    JobStatus,
    PlacedRecord,
    RecordChange,
    Status,
)
from coalition.states.models import State

BATCH = 5_000
# How many problems a job keeps for its page; the command prints every one as it is found.
KEPT_PROBLEMS = 1_000


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    hxl: str | None
    help: str = ""


def _breakdown_columns() -> list[Column]:
    columns = []
    for outcome in OUTCOMES:
        for breakdown in BREAKDOWNS:
            name = f"{outcome}_{breakdown.name}"
            tag = "+".join(["#affected", outcome, *breakdown.attributes])
            columns.append(Column(name, name, tag, f"{outcome}: {breakdown.name}, number"))
    return columns


COLUMNS = [
    Column("state", "state", "#country+code", "ISO 3166 alpha-3 (or alpha-2) code"),
    Column("date", "date", "#date+occurred", "YYYY-MM-DD, 1940 or later, not in the future"),
    Column("date_end", "date_end", "#date+end", "end of the period, when only a period is known"),
    Column("place_name", "place", "#loc+name", ""),
    Column("admin_area", "admin_area", "#adm1+name", ""),
    Column("latitude", "latitude", "#geo+lat", "decimal degrees"),
    Column("longitude", "longitude", "#geo+lon", "decimal degrees"),
    Column("location_precision", "location_precision", "#geo+precision", "/".join(PlacedRecord.Precision.values)),
    Column("killed", "killed", "#affected+killed", "number, 0 or more"),
    Column("injured", "injured", "#affected+injured", "number, 0 or more"),
    *_breakdown_columns(),
    Column("activity", "activity", "#description+activity", ""),
    Column("phase", "phase", "#event+type", "/".join(Casualty.Phase.values)),
    Column("source", "source", "#meta+source", "title of the source"),
    Column("external_id", "id", "#meta+id", "the record's identifier in the source: a row with a known one updates it"),
    # Personal data: accepted from plain CSV, never given an HXL tag, never exported.
    Column("name", "name", None, "personal data"),
    Column("address", "address", None, "personal data"),
]
# One person per row, as files written before the breakdowns said it (and the project's old exports): read into
# the breakdowns, never written.
LEGACY_COLUMNS = [
    Column("civilian_status", "civilian_status", "#affected+type", "civilian/military/deminer/unknown"),
    Column("sex", "sex", "#affected+sex", "female/male/unknown"),
    Column("age_group", "age_group", "#affected+age", "child/adult/unknown"),
]
LEGACY_BREAKDOWNS = {
    "civilian_status": {"civilian": "civilians", "military": "military", "deminer": "deminers", "unknown": None},
    "sex": {"female": "female", "male": "male", "unknown": None},
    "age_group": {"child": "children", "adult": "adults", "unknown": None},
}
SEX_AND_AGE = {("female", "children"): "girls", ("male", "children"): "boys"}
SEX_AND_AGE |= {("female", "adults"): "women", ("male", "adults"): "men"}
REQUIRED = ("state", "date")
COUNT_FIELDS = ("killed", "injured", *BREAKDOWN_FIELDS)
CHOICES = {
    "location_precision": set(PlacedRecord.Precision.values),
    "phase": set(Casualty.Phase.values),
}
DEFAULTS = {"location_precision": PlacedRecord.Precision.APPROXIMATE}
MAX_LENGTHS = {"place_name": 200, "admin_area": 200, "activity": 200, "external_id": 100, "name": 200, "address": 300}
# The project's own exports name a record without an identifier in its source by its id here.
OWN_ID_PREFIX = "coalition-"


def normalise_tag(tag: str) -> str:
    """`#Affected +killed` and `#affected+killed` are the same tag; attribute order does not matter in HXL."""
    parts = tag.strip().lower().replace(" ", "").split("+")
    return "+".join([parts[0], *sorted(p for p in parts[1:] if p)])


# Attributes that say nothing about what a column holds here (a number, a total): ignored when matching a tag.
NEUTRAL_ATTRIBUTES = {"num", "total"}
BY_HEADER = {column.header: column for column in [*COLUMNS, *LEGACY_COLUMNS]}
BY_HEADER |= {"external_id": BY_HEADER["id"], "source_id": BY_HEADER["id"]}
# The HXL attributes as a header are the same column: killed_f, killed_f_children, injured_civilians…
BY_HEADER |= {
    "_".join([outcome, *b.attributes]): BY_HEADER[f"{outcome}_{b.name}"] for outcome in OUTCOMES for b in BREAKDOWNS
}
BY_TAG = {normalise_tag(column.hxl): column for column in [*COLUMNS, *LEGACY_COLUMNS] if column.hxl}
BY_TAG["#affected+activity"] = BY_HEADER["activity"]  # as the project's exports tagged it before decision 0602


def column_for_tag(tag: str) -> Column | None:
    normal = normalise_tag(tag)
    column = BY_TAG.get(normal)
    if column is None:
        hashtag, *attributes = normal.split("+")
        column = BY_TAG.get("+".join([hashtag, *(a for a in attributes if a not in NEUTRAL_ATTRIBUTES)]))
    return column


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Report:
    rows: int = 0
    imported: int = 0
    hxl: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    # Rows whose identifier named a record already kept: changed (and updated) or the same (left alone).
    updated: int = 0
    unchanged: int = 0


def _is_tag_row(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


def _columns(header: list[str], tags: list[str] | None) -> tuple[list[Column | None], list[Problem]]:
    """Which column holds which field; an unknown header or HXL tag is a problem of the header rows."""
    problems: list[Problem] = []
    mapped: list[Column | None] = []
    for index, name in enumerate(header):
        if tags is not None:
            tag = tags[index].strip() if index < len(tags) else ""
            column = column_for_tag(tag) if tag else None
            if tag and column is None:
                problems.append(
                    Problem(2 if header is not tags else 1, name or tag, _("unknown HXL tag %(tag)s") % {"tag": tag})
                )
        else:
            key = name.strip().lower()
            column = BY_HEADER.get(key)
            if key and column is None:
                problems.append(Problem(1, name, _("unknown column")))
        mapped.append(column)
    present = {column.field for column in mapped if column}
    for required in REQUIRED:
        if required not in present:
            problems.append(Problem(1, required, _("column is missing")))
    if not present & set(COUNT_FIELDS):
        problems.append(Problem(1, "killed/injured", _("column is missing")))
    legacy = present & {column.field for column in LEGACY_COLUMNS}
    if legacy and present & set(BREAKDOWN_FIELDS):
        problems.append(
            Problem(
                1,
                "/".join(sorted(legacy)),
                _("give either one person's sex, age group and status or the counts broken down, not both"),
            )
        )
    seen: set[str] = set()
    for column in mapped:
        if column and column.field in seen:
            problems.append(Problem(1, column.header, _("column appears twice")))
        elif column:
            seen.add(column.field)
    return mapped, problems


def unneutralised(text: str) -> str:
    """A cell as it was before an export neutralised it for spreadsheets (`lib.csv_export.safe_cell` puts a `'`
    before text that would run as a formula): so a re-imported export gives back the same text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class RowChecker:
    """Turns one row's cells into checked values, or problems naming the field."""

    def __init__(self, *, default_source: str) -> None:
        states = State.objects.values_list("iso3", "country")
        self.iso3: dict[str, str] = {}
        for iso3, alpha2 in states:
            self.iso3[iso3] = iso3
            self.iso3[str(alpha2)] = iso3
        self.today = timezone.localdate()
        self.default_source = default_source

    def _date(self, text: str, name: str, problems: list[Problem], row: int) -> date | None:
        try:
            value = date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": text}))
            return None
        problem = validation.date_problem(value, today=self.today)
        if problem:
            problems.append(Problem(row, name, f"{text} {problem}"))
            return None
        return value

    def _count(self, text: str, name: str, problems: list[Problem], row: int) -> int:
        return self._number(text, name, problems, row, validation.MAX_PEOPLE) if text else 0

    def _number(self, text: str, name: str, problems: list[Problem], row: int, maximum: int) -> int:
        """A whole number from 0 to `maximum`, or 0 with the problem named."""
        try:
            value = int(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a whole number") % {"value": text}))
            return 0
        problem = validation.amount_problem(value, maximum=maximum)
        if problem:
            problems.append(Problem(row, name, problem))
            return 0
        return value

    def _float(self, text: str, name: str, problems: list[Problem], row: int) -> float | None:
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a number") % {"value": text}))
            return None

    def _counts(self, row: int, values: dict[str, str], problems: list[Problem], out: dict[str, Any]) -> None:
        """The totals and their breakdowns: empty cells filled as `validation.complete_breakdowns` says, then
        checked against each other; one person's sex, age group and status (old files) become breakdowns."""
        counts: dict[str, int | None] = {}
        before = len(problems)
        for name in COUNT_FIELDS:
            text = values.get(name, "")
            counts[name] = self._count(text, name, problems, row) if text else None
        legacy: dict[str, str | None] = {}
        for name, mapping in LEGACY_BREAKDOWNS.items():
            text = values.get(name, "").strip().lower()
            if text and text not in mapping:
                problems.append(
                    Problem(
                        row,
                        name,
                        _("%(value)r is not one of %(allowed)s")
                        % {"value": text, "allowed": ", ".join(sorted(mapping))},
                    )
                )
            legacy[name] = mapping.get(text)
        if any(legacy.values()):
            sex, age = legacy["sex"], legacy["age_group"]
            for outcome in OUTCOMES:
                total = counts[outcome] or 0
                for group in (sex, age, legacy["civilian_status"], SEX_AND_AGE.get((sex or "", age or ""))):
                    if group:
                        counts[f"{outcome}_{group}"] = total
        completed = validation.complete_breakdowns(counts)
        if len(problems) == before:
            for fields, message in validation.breakdown_problems(completed):
                problems.append(Problem(row, fields, message))
        out.update(completed)

    def check(self, row: int, values: dict[str, str]) -> tuple[dict[str, Any] | None, list[Problem], list[Problem]]:
        problems: list[Problem] = []
        warnings: list[Problem] = []
        out: dict[str, Any] = {}
        code = values.get("state", "").upper()
        iso3 = self.iso3.get(code)
        if not code:
            problems.append(Problem(row, "state", _("is required")))
        elif iso3 is None:
            problems.append(Problem(row, "state", _("unknown state code %(code)r") % {"code": code}))
        out["state"] = iso3
        text = values.get("date", "")
        out["date"] = self._date(text, "date", problems, row) if text else None
        if not text:
            problems.append(Problem(row, "date", _("is required")))
        text = values.get("date_end", "")
        out["date_end"] = self._date(text, "date_end", problems, row) if text else None
        if out["date"] and out["date_end"] and out["date_end"] < out["date"]:
            problems.append(Problem(row, "date_end", _("is before the date")))
        self._counts(row, values, problems, out)
        if not problems and out["killed"] == 0 and out["injured"] == 0:
            problems.append(Problem(row, "killed/injured", _("the row counts nobody")))
        latitude = self._float(values.get("latitude", ""), "latitude", problems, row)
        longitude = self._float(values.get("longitude", ""), "longitude", problems, row)
        problem = validation.coordinates_problem(latitude, longitude)
        if problem:
            problems.append(Problem(row, "latitude/longitude", problem))
        elif iso3 and validation.outside_state(iso3, latitude, longitude):
            warnings.append(
                Problem(
                    row,
                    "latitude/longitude",
                    _("%(lat)s, %(lon)s is outside %(state)s's rough bounds")
                    % {"lat": latitude, "lon": longitude, "state": iso3},
                )
            )
        out["latitude"], out["longitude"] = latitude, longitude
        for name, allowed in CHOICES.items():
            text = values.get(name, "").strip().lower()
            if text and text not in allowed:
                problems.append(
                    Problem(
                        row,
                        name,
                        _("%(value)r is not one of %(allowed)s")
                        % {"value": text, "allowed": ", ".join(sorted(allowed))},
                    )
                )
            out[name] = text or DEFAULTS.get(name, "unknown")
        for name, limit in MAX_LENGTHS.items():
            text = unneutralised(values.get(name, "").strip())
            if len(text) > limit:
                problems.append(Problem(row, name, _("longer than %(limit)s characters") % {"limit": limit}))
            out[name] = text
        out["source"] = unneutralised(values.get("source", "").strip())[:300] or self.default_source
        return (None if problems else out), problems, warnings


def _rows(handle: IO[str]) -> tuple[list[Column | None], list[Problem], bool, Iterator[tuple[int, list[str]]], int]:
    reader = csv.reader(handle)
    first = next(reader, [])
    second = next(reader, None)
    if _is_tag_row(first):
        header, tags, start, pending = first, first, 2, [second] if second is not None else []
    elif second is not None and _is_tag_row(second):
        header, tags, start, pending = first, second, 3, []
    else:
        header, tags, start, pending = first, None, 2, [second] if second is not None else []
    columns, problems = _columns(header, tags)
    return columns, problems, tags is not None, enumerate(chain(pending, reader), start), start


def count_rows(handle: IO[str]) -> int:
    """A quick count of data lines for the progress bar (header and tag rows excluded)."""
    lines = sum(1 for _line in handle)
    handle.seek(0)
    first_lines = [handle.readline(), handle.readline()]
    handle.seek(0)
    tagged = any(_is_tag_row(next(csv.reader([line]), [])) for line in first_lines if line)
    return max(0, lines - (2 if tagged else 1))


# The insert's columns: those a row's cells give, in this order, then those fixed for the whole import.
ROW_COLUMNS = (
    "state_id", "date", "date_end", "year", "place_name", "admin_area", "latitude", "longitude",
    "location_precision", "killed", "injured", *BREAKDOWN_FIELDS, "activity", "phase",
    "source_id", "external_id", "name", "address",
)  # fmt: skip
AT = {name: index for index, name in enumerate(ROW_COLUMNS)}
FIXED_COLUMNS = (
    "organisation_id", "status", "created_by_id", "assigned_to_id", "review_comment", "created_at", "updated_at",
    "submitted_at", "reviewed_at", "strike_id", "import_job_id",
)  # fmt: skip


class _Writer:
    """Inserts checked rows in batches straight through the driver, inside the caller's transaction.

    A row is a plain tuple in the order ROW_COLUMNS + FIXED_COLUMNS; no model instance or dict per row.
    """

    def __init__(
        self,
        *,
        organisation_id: int | None,
        status: str,
        by_id: int | None,
        job_id: int | None,
        dry_run: bool = False,
    ) -> None:
        self.dry_run = dry_run
        by_attname = {f.attname: f.column for f in Casualty._meta.concrete_fields if not f.primary_key}
        if set(by_attname) != {*ROW_COLUMNS, *FIXED_COLUMNS}:  # a new column must be given a value here
            raise RuntimeError(f"the importer does not fill {set(by_attname) ^ {*ROW_COLUMNS, *FIXED_COLUMNS}}")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        fixed = {
            "organisation_id": organisation_id,
            "status": status,
            "created_by_id": by_id,
            "assigned_to_id": None,
            "review_comment": "",
            "created_at": now,
            "updated_at": now,
            "submitted_at": now if status != Status.DRAFT else None,
            "reviewed_at": now if status == Status.APPROVED else None,
            "strike_id": None,
            "import_job_id": job_id,
        }
        self.fixed = tuple(fixed[name] for name in FIXED_COLUMNS)
        self.batch: list[tuple[Any, ...]] = []
        self.written = 0
        self.buckets: set[tuple[str, int]] = set()
        self.sources: dict[str, int] = {}
        self.adapt_date = connection.ops.adapt_datefield_value
        table = connection.ops.quote_name(str(Casualty._meta.db_table))
        columns = [by_attname[name] for name in (*ROW_COLUMNS, *FIXED_COLUMNS)]
        names = ", ".join(connection.ops.quote_name(str(c)) for c in columns)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN"
        self.postgres = connection.vendor == "postgresql"

    def source_id(self, title: str) -> int:
        """The source's id, created once; a dry run creates nothing and gives a new title a stand-in id below 0."""
        if title not in self.sources and self.dry_run:
            from coalition.research.models import Source

            known = Source.objects.filter(title=title).order_by("id").values_list("pk", flat=True).first()
            self.sources[title] = known if known is not None else -(len(self.sources) + 1)
        return services.source_for_title(title, self.sources)

    def add(self, values: dict[str, Any]) -> None:
        """Queue one row checked by `RowChecker.check`."""
        self.append(self.row(values))

    def append(self, row: tuple[Any, ...]) -> None:
        self.buckets.add((row[0], row[3]))  # (state, year) of a new record
        self.batch.append(row)
        if len(self.batch) >= BATCH:
            self.flush()

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The insert's tuple of a row checked by `RowChecker.check` (the rows the fast path left to it)."""
        year = values["date"].year
        return (
            values["state"],
            self.adapt_date(values["date"]),
            self.adapt_date(values["date_end"]),
            year,
            values["place_name"],
            values["admin_area"],
            values["latitude"],
            values["longitude"],
            values["location_precision"],
            values["killed"],
            values["injured"],
            *[values[name] for name in BREAKDOWN_FIELDS],
            values["activity"],
            values["phase"],
            self.source_id(values["source"]),
            values["external_id"],
            values["name"],
            values["address"],
            *self.fixed,
        )

    def flush(self) -> None:
        if not self.batch:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.batch:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.batch)
        self.written += len(self.batch)
        self.batch.clear()


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


def _fast_rows(
    columns: list[Column | None], checker: RowChecker, writer: _Writer
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
    boxes = {
        iso3: (lat0 - validation.BOUNDS_MARGIN, lat1 + validation.BOUNDS_MARGIN)
        + (lon0 - validation.BOUNDS_MARGIN, lon1 + validation.BOUNDS_MARGIN)
        for iso3, (lat0, lat1, lon0, lon1) in validation.country_bounds().items()
    }
    dates: dict[str, tuple[Any, int, date]] = {}
    earliest, today, adapt_date = validation.EARLIEST, checker.today, writer.adapt_date
    default_source, sources, fixed = checker.default_source, writer.sources, writer.fixed

    def day(text: str) -> tuple[Any, int, date] | None:
        """A valid date's (adapted value, year, date), cached: a file has few distinct dates."""
        known = dates.get(text)
        if known is None:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                return None
            if not earliest <= value <= today:
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
            source = writer.source_id(title)  # a dry run creates nothing: see _Writer.source_id
        year = start[1]
        return (
            iso3, start[0], end_adapted, year, place, admin, lat, lon, kept_precision, *values, activity, kept_phase,
            source, external, name, address, *fixed,
        )  # fmt: skip

    return convert


def casualties_import(
    *,
    handle: IO[str],
    dry_run: bool,
    by: User | Actor,
    organisation: Organisation | None = None,
    approve: bool = False,
    default_source: str = "",
    job: ImportJob | None = None,
    on_problem: Callable[[str, Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    report: Report | None = None,
) -> Report:
    """Check (and unless `dry_run`, import) every row of a casualty file. Raises `ImportRejected` if any row is bad.

    Pass a `report` to read the problems found even when the import is rejected. A `job` is marked done, with its
    counts, in the transaction that keeps the rows: both are kept or neither; so is the audit entry that says who
    imported them (`by`: the account, or `Actor.SYSTEM` for a command run without --user).
    """
    report = report if report is not None else Report()
    columns, header_problems, report.hxl, rows, _start = _rows(handle)
    checker = RowChecker(default_source=default_source or _("Import of casualty records"))
    status = Status.APPROVED if approve else Status.SUBMITTED

    def problem(kind: str, item: Problem) -> None:
        target, counter = (report.errors, "error_count") if kind == "error" else (report.warnings, "warning_count")
        setattr(report, counter, getattr(report, counter) + 1)
        if len(target) < KEPT_PROBLEMS:
            target.append(item)
        if on_problem:
            on_problem(kind, item)

    for item in header_problems:
        problem("error", item)
    if report.error_count:
        raise ImportRejected([str(p) for p in report.errors])

    indexed = [(i, column.field) for i, column in enumerate(columns) if column]
    with transaction.atomic():
        writer = _Writer(
            organisation_id=organisation.pk if organisation else None,
            status=status,
            by_id=by.pk if isinstance(by, User) else None,
            job_id=job.pk if job else None,
            dry_run=dry_run,
        )
        convert = _fast_rows(columns, checker, writer)
        batch, buckets, checked_rows, writing = writer.batch, writer.buckets, 0, not dry_run
        matcher = _Matcher()
        for number, cells in rows:
            row = convert(cells)
            if row is None:
                # The full checks: a row with something to report, to tidy, or blank.
                if not any(cell.strip() for cell in cells):
                    continue
                values = {name: cells[i].strip() for i, name in indexed if i < len(cells)}
                checked, problems, warnings = checker.check(number, values)
                for item in problems:
                    problem("error", item)
                for item in warnings:
                    problem("warning", item)
                if report.error_count:
                    writing = False
                elif checked is not None:
                    row = writer.row(checked)
            if row is not None and not (row[I_EXTERNAL] and matcher.known(number, row, problem)) and writing:
                buckets.add((row[0], row[3]))  # (state, year) of a new record
                batch.append(row)
                if len(batch) >= BATCH:
                    writer.flush()
            checked_rows += 1
            if on_progress and checked_rows % BATCH == 0:
                report.rows = checked_rows
                on_progress(checked_rows)
        report.rows = checked_rows
        if report.error_count:
            transaction.set_rollback(True)
            raise ImportRejected([str(p) for p in report.errors])
        for row in matcher.new_after_all():
            if writing:
                writer.append(row)
        changed = _update_known(
            matcher.updates,
            fields=_updated_fields(columns),
            status=status,
            by=by if isinstance(by, User) else None,
            name=default_source,
            dry_run=dry_run,
        )
        report.updated, report.unchanged = len(changed), len(matcher.updates) - len(changed)
        if not dry_run:
            writer.flush()
            report.imported = writer.written
            touched = {bucket for _pk, old, new in changed for bucket in (old, new)}
            services.casualty_totals_refresh(buckets=touched | buckets if approve else touched)
            if job is not None:
                # In the rows' own transaction: a process killed after the commit must not leave a job that still
                # says "running", which a requeued task would import again.
                ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, **job_outcome(report))
            audit_record(
                by=by,
                action="research.import",
                target=job,
                label=None if job else f"Casualty import: {default_source or '-'}",
                detail={
                    "imported": report.imported,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "approved": approve,
                    "organisation": organisation,
                    "source": default_source,
                },
            )
        if on_progress:
            on_progress(report.rows)
    return report


I_EXTERNAL, I_SOURCE = AT["external_id"], AT["source_id"]


class _Matcher:
    """Rows that carry an identifier: those naming a record already kept update it rather than adding another.

    A record is known by its source and its identifier in that source, or, in the project's own exports, by
    `coalition-<id>` when it had no identifier of its own. An identifier given twice in one file is a bad row.
    """

    def __init__(self) -> None:
        self.seen: dict[tuple[int, str], int] = {}
        self.existing: dict[tuple[int, str], int] | None = None
        self.updates: list[tuple[int, tuple[Any, ...]]] = []
        self.own: list[tuple[int, tuple[Any, ...]]] = []

    def known(self, number: int, row: tuple[Any, ...], problem: Callable[[str, Problem], None]) -> bool:
        """True when the row is not for inserting now: an update, a record of ours to look up, or a duplicate."""
        external = row[I_EXTERNAL]
        key = (row[I_SOURCE], external)
        earlier = self.seen.get(key)
        if earlier is not None:
            problem(
                "error",
                Problem(
                    number,
                    "external_id",
                    _("%(id)r is already the identifier of row %(row)s from the same source")
                    % {"id": external, "row": earlier},
                ),
            )
            return True
        self.seen[key] = number
        if self.existing is None:
            self.existing = {
                (source_id, external_id): pk
                for source_id, external_id, pk in Casualty.objects.exclude(external_id="").values_list(
                    "source_id", "external_id", "pk"
                )
            }
        pk = self.existing.get(key)
        if pk is not None:
            self.updates.append((pk, row))
            return True
        own = external[len(OWN_ID_PREFIX) :] if external.startswith(OWN_ID_PREFIX) else ""
        if own.isdecimal() and len(own) <= 18:
            self.own.append((int(own), row))
            return True
        return False

    def new_after_all(self) -> list[tuple[Any, ...]]:
        """Rows naming one of our records by `coalition-<id>`: updates where it exists, new records elsewhere."""
        new = []
        for start in range(0, len(self.own), 1000):
            chunk = self.own[start : start + 1000]
            existing = set(Casualty.objects.filter(pk__in=[pk for pk, _row in chunk]).values_list("pk", flat=True))
            for pk, row in chunk:
                if pk in existing:
                    self.updates.append((pk, row))
                else:
                    new.append(row)
        return new


def _updated_fields(columns: list[Column | None]) -> list[str]:
    """The record's fields an update by this file may change: those it has a column for, and what goes with them."""
    present = {column.field for column in columns if column}
    names = {"state": ["state_id"], "date": ["date", "year"], "source": ["source_id"], "external_id": []}
    fields: list[str] = []
    for name in present:
        fields += names.get(name, [] if name in COUNT_FIELDS or name in LEGACY_BREAKDOWNS else [name])
    if present & {*COUNT_FIELDS, *LEGACY_BREAKDOWNS}:
        fields += list(COUNT_FIELDS)  # the totals and every breakdown change together
    return sorted(set(fields), key=ROW_COLUMNS.index)


def _python(field: str, value: Any) -> Any:
    if field in {"date", "date_end"} and value is not None and not isinstance(value, date):
        return date.fromisoformat(str(value))
    return value


def _same(record: Casualty, field: str, value: Any) -> bool:
    current = getattr(record, field)
    if field in {"latitude", "longitude"} and current is not None and value is not None:
        # An export gives the public, rounded position: the same place, not a change (the precise one is kept).
        return value in {current, selectors.public_coordinate(Casualty, current)}
    return bool(current == value)


def _update_known(
    updates: list[tuple[int, tuple[Any, ...]]],
    *,
    fields: list[str],
    status: str,
    by: User | None,
    name: str,
    dry_run: bool,
) -> list[tuple[int, tuple[str, int], tuple[str, int]]]:
    """Update the known records a file changes, each with its history entry; leave the others alone.

    A changed record takes the import's status (approved, or awaiting review again). Returns (id, old bucket, new
    bucket) of each record changed, or that a dry run would change.
    """
    changed: list[tuple[int, tuple[str, int], tuple[str, int]]] = []
    now = timezone.now()
    for start in range(0, len(updates), 1000):
        chunk = updates[start : start + 1000]
        records = Casualty.objects.in_bulk([pk for pk, _row in chunk])
        for pk, row in chunk:
            record = records[pk]
            new = {field: _python(field, row[AT[field]]) for field in fields}
            differs = [field for field, value in new.items() if not _same(record, field, value)]
            if not differs:
                continue
            old_bucket = (record.state_id, record.year)
            before = {field: services.plain_value(getattr(record, field)) for field in differs}
            for name in differs:
                setattr(record, name, new[name])
            changed.append((pk, old_bucket, (record.state_id, record.year)))
            if dry_run:
                continue
            record.status = status
            record.submitted_at = now
            record.reviewed_at = now if status == Status.APPROVED else None
            record.save(update_fields=[*differs, "status", "submitted_at", "reviewed_at", "updated_at"])
            services.record_log(
                record=record,
                action=RecordChange.Action.EDITED,
                by=by,
                changes=services.record_changes(record, before),
                comment=_("Updated by the import of %(name)s") % {"name": name or "-"},
            )
    return changed


def casualties_import_job(*, job_id: int) -> str:
    """Run a staff page's import in the worker, recording progress and the outcome on the job.

    Idempotent: a job already finished is left as it is; one found running (its worker died) starts
    again, which is safe because a run killed before its commit kept nothing, and the commit that keeps the
    rows also marks the job done.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
        return f"already {job.status}"
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    report = Report()
    try:
        status = _run_job_file(job, report)
    except Exception as exc:
        # Anything unforeseen ends the job with its reason, so it never says "running" for a task that failed.
        job_fail(job_id=job.pk, reason=_("the import stopped on an unexpected error (%(error)s)") % {"error": exc})
        raise
    if status != JobStatus.DONE or job.dry_run:
        # A real import that succeeded recorded its outcome in the rows' own transaction.
        ImportJob.objects.filter(pk=job.pk).update(status=status, **job_outcome(report))
    return str(status)


def job_outcome(report: Report) -> dict[str, Any]:
    """The fields of an ImportJob that record how it ended: counts, the first problems, when."""
    return {
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rows_done": report.rows,
        "error_count": report.error_count,
        "errors": [p.as_dict() for p in report.errors],
        "warnings": [p.as_dict() for p in report.warnings],
        "finished_at": timezone.now(),
    }


def job_fail(*, job_id: int, reason: str) -> bool:
    """End a job that can no longer finish, with the reason shown on its page; False if it had already ended."""
    problem = Problem(0, "file", reason).as_dict()
    return bool(
        ImportJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
            status=JobStatus.FAILED, errors=[problem], error_count=1, finished_at=timezone.now()
        )
    )


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def import_jobs_fail_abandoned(*, alive: Callable[[int], bool] = _process_alive) -> int:
    """Fail the jobs of import commands on this machine whose process has ended (killed, or the machine
    restarted) without finishing; returns how many. Run when an import command starts and by the scheduler."""
    host = socket.gethostname()
    failed = 0
    for pk, runner in ImportJob.objects.filter(status=JobStatus.RUNNING).exclude(runner="").values_list("pk", "runner"):
        runner_host, _sep, pid = runner.rpartition(":")
        if runner_host != host or not pid.isdigit() or alive(int(pid)):
            continue
        reason = _("the import command (process %(pid)s) ended before the import finished; nothing was imported")
        failed += job_fail(job_id=pk, reason=reason % {"pid": pid})
    return failed


def _run_job_file(job: ImportJob, report: Report) -> str:
    with job.file.open("rb") as raw:
        handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            ImportJob.objects.filter(pk=job.pk).update(rows_total=count_rows(handle))
            casualties_import(
                handle=handle,
                dry_run=job.dry_run,
                by=job.created_by or Actor.SYSTEM,
                organisation=job.organisation,
                approve=job.approve,
                default_source=job.original_name,
                job=None if job.dry_run else job,
                report=report,
                # On SQLite the import's transaction holds the write lock, so progress is written by batch
                # only where the database allows it; the page shows it when it can.
                on_progress=lambda done: _progress(job.pk, done),
            )
            status = JobStatus.DONE
        except ImportRejected:
            status = JobStatus.REJECTED
        except (UnicodeDecodeError, csv.Error) as exc:
            # Not a UTF-8 CSV (or a cell beyond the reader's 128 KB): the whole file is refused, with the reason,
            # rather than the task failing and the job showing "running" for ever.
            report.errors.append(
                Problem(0, "file", _("the file cannot be read as UTF-8 CSV (%(error)s)") % {"error": exc})
            )
            report.error_count += 1
            status = JobStatus.REJECTED
    return status


def progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "research" / "imports" / f"progress-{job_id}.txt"


def _progress(job_id: int, done: int) -> None:
    # Not in the database: the import's open transaction would hide it (PostgreSQL) or lock it out (SQLite).
    path = progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(done))


def job_progress(job: ImportJob) -> int:
    """Rows checked so far: from the progress file while the job runs, from the job once it ended."""
    if job.status == JobStatus.RUNNING:
        try:
            return int(progress_path(job.pk).read_text() or 0)
        except (OSError, ValueError):
            return 0
    return job.rows_done
