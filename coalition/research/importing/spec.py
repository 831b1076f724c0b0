"""What a casualty file may hold: its columns (CSV headers and HXL tags), how they are read, and the insert's columns.

Plain CSV names a column by its header, HXL-tagged CSV by the row of hashtags under (or instead of) it; both map
to the same `Column`s. Problems and the report that collects them are shared by every step of the import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import IO, Any

from django.utils.translation import gettext as _

from coalition.research.models import BREAKDOWN_FIELDS, BREAKDOWNS, OUTCOMES, Casualty, PlacedRecord


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


def is_tag_row(cells: list[str]) -> bool:
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


def read_rows(handle: IO[str]) -> tuple[list[Column | None], list[Problem], bool, Iterator[tuple[int, list[str]]], int]:
    reader = csv.reader(handle)
    first = next(reader, [])
    second = next(reader, None)
    if is_tag_row(first):
        header, tags, start, pending = first, first, 2, [second] if second is not None else []
    elif second is not None and is_tag_row(second):
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
    tagged = any(is_tag_row(next(csv.reader([line]), [])) for line in first_lines if line)
    return max(0, lines - (2 if tagged else 1))


# The insert's columns: those a row's cells give, in this order, then those fixed for the whole import.
ROW_COLUMNS = (
    "state_id", "date", "date_end", "year", "place_name", "admin_area", "latitude", "longitude",
    "location_precision", "killed", "injured", *BREAKDOWN_FIELDS, "activity", "phase",
    "source_id", "external_id", "name", "address",
)  # fmt: skip
AT = {name: index for index, name in enumerate(ROW_COLUMNS)}
I_EXTERNAL, I_SOURCE = AT["external_id"], AT["source_id"]
FIXED_COLUMNS = (
    "organisation_id", "status", "created_by_id", "assigned_to_id", "review_comment", "created_at", "updated_at",
    "submitted_at", "reviewed_at", "strike_id", "import_job_id",
)  # fmt: skip
