"""Import of casualty records from CSV or HXL-tagged CSV: streamed, checked row by row, all or nothing.

A file is read once, in batches, so a million rows fit in bounded memory. Every bad row is reported
(row number as a spreadsheet shows it, field, reason); if there is any, nothing is kept. Rows go in
through the database driver in batches (`executemany`, or COPY on PostgreSQL) inside one transaction:
the per-row cost of building model instances would otherwise dominate a large import.
"""

from __future__ import annotations

import csv
import io
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
from coalition.lib.imports import ImportRejected
from coalition.members.models import Organisation
from coalition.research import services, validation
from coalition.research.models import Casualty, ImportJob, JobStatus, PlacedRecord, Status
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
    Column("civilian_status", "civilian_status", "#affected+type", "/".join(Casualty.CivilianStatus.values)),
    Column("sex", "sex", "#affected+sex", "/".join(Casualty.Sex.values)),
    Column("age_group", "age_group", "#affected+age", "/".join(Casualty.AgeGroup.values)),
    Column("activity", "activity", "#affected+activity", ""),
    Column("phase", "phase", "#event+type", "/".join(Casualty.Phase.values)),
    Column("source", "source", "#meta+source", "title of the source"),
    Column("external_id", "id", "#meta+id", ""),
    # Personal data: accepted from plain CSV, never given an HXL tag, never exported.
    Column("name", "name", None, "personal data"),
    Column("address", "address", None, "personal data"),
]
REQUIRED = ("state", "date")
CHOICES = {
    "location_precision": set(PlacedRecord.Precision.values),
    "civilian_status": set(Casualty.CivilianStatus.values),
    "sex": set(Casualty.Sex.values),
    "age_group": set(Casualty.AgeGroup.values),
    "phase": set(Casualty.Phase.values),
}
DEFAULTS = {"location_precision": PlacedRecord.Precision.APPROXIMATE}
MAX_LENGTHS = {"place_name": 200, "admin_area": 200, "activity": 200, "external_id": 100, "name": 200, "address": 300}


def normalise_tag(tag: str) -> str:
    """`#Affected +killed` and `#affected+killed` are the same tag; attribute order does not matter in HXL."""
    parts = tag.strip().lower().replace(" ", "").split("+")
    return "+".join([parts[0], *sorted(p for p in parts[1:] if p)])


BY_HEADER = {column.header: column for column in COLUMNS}
BY_TAG = {normalise_tag(column.hxl): column for column in COLUMNS if column.hxl}


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
            column = BY_TAG.get(normalise_tag(tag)) if tag else None
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
    if not present & {"killed", "injured"}:
        problems.append(Problem(1, "killed/injured", _("column is missing")))
    return mapped, problems


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
        if not text:
            return 0
        try:
            value = int(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a whole number") % {"value": text}))
            return 0
        problem = validation.amount_problem(value, maximum=validation.MAX_PEOPLE)
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
        out["killed"] = self._count(values.get("killed", ""), "killed", problems, row)
        out["injured"] = self._count(values.get("injured", ""), "injured", problems, row)
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
            text = values.get(name, "").strip()
            if len(text) > limit:
                problems.append(Problem(row, name, _("longer than %(limit)s characters") % {"limit": limit}))
            out[name] = text
        out["source"] = values.get("source", "").strip()[:300] or self.default_source
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
    "location_precision", "killed", "injured", "civilian_status", "sex", "age_group", "activity", "phase",
    "source_id", "external_id", "name", "address",
)  # fmt: skip
FIXED_COLUMNS = (
    "organisation_id", "status", "created_by_id", "assigned_to_id", "review_comment", "created_at", "updated_at",
    "submitted_at", "reviewed_at", "strike_id", "import_job_id",
)  # fmt: skip


class _Writer:
    """Inserts checked rows in batches straight through the driver, inside the caller's transaction.

    A row is a plain tuple in the order ROW_COLUMNS + FIXED_COLUMNS; no model instance or dict per row.
    """

    def __init__(self, *, organisation_id: int | None, status: str, by_id: int | None, job_id: int | None) -> None:
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
        return services.source_for_title(title, self.sources)

    def add(self, values: dict[str, Any]) -> None:
        """Queue one row checked by `RowChecker.check` (the rows the fast path left to it)."""
        year = values["date"].year
        self.buckets.add((values["state"], year))
        self.batch.append(
            (
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
                values["civilian_status"],
                values["sex"],
                values["age_group"],
                values["activity"],
                values["phase"],
                self.source_id(values["source"]),
                values["external_id"],
                values["name"],
                values["address"],
                *self.fixed,
            )
        )
        if len(self.batch) >= BATCH:
            self.flush()

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


def _fast_rows(
    columns: list[Column | None], checker: RowChecker, writer: _Writer, *, resolve_sources: bool
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

    i_state, i_date, i_end, i_lat, i_lon, i_killed, i_injured, i_source = (
        at[name] for name in ("state", "date", "date_end", "latitude", "longitude", "killed", "injured", "source")
    )
    choice_names = ("location_precision", "civilian_status", "sex", "age_group", "phase")
    i_precision, i_civilian, i_sex, i_age, i_phase = (at[name] for name in choice_names)
    # Each choice field: its exact allowed values, and the empty cell, to the value kept.
    choice = {name: {**{v: v for v in CHOICES[name]}, "": DEFAULTS.get(name, "unknown")} for name in choice_names}
    precision, civilian, sex, age, phase = (choice[name] for name in choice_names)
    lengths = [(at[name], limit) for name, limit in MAX_LENGTHS.items()]
    (i_place, l_place), (i_admin, l_admin), (i_activity, l_activity) = lengths[:3]
    (i_external, l_external), (i_name, l_name), (i_address, l_address) = lengths[3:]
    codes = checker.iso3
    counts = {str(n): n for n in range(1000)} | {"": 0}
    boxes = {
        iso3: (lat0 - validation.BOUNDS_MARGIN, lat1 + validation.BOUNDS_MARGIN)
        + (lon0 - validation.BOUNDS_MARGIN, lon1 + validation.BOUNDS_MARGIN)
        for iso3, (lat0, lat1, lon0, lon1) in validation.country_bounds().items()
    }
    dates: dict[str, tuple[Any, int, date]] = {}
    earliest, today, adapt_date = validation.EARLIEST, checker.today, writer.adapt_date
    default_source, sources, fixed, buckets = checker.default_source, writer.sources, writer.fixed, writer.buckets

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
        killed = counts.get(cells[i_killed])
        injured = counts.get(cells[i_injured])
        if killed is None or injured is None or not (killed or injured):
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
        kept_civilian = civilian.get(cells[i_civilian])
        kept_sex = sex.get(cells[i_sex])
        kept_age = age.get(cells[i_age])
        kept_phase = phase.get(cells[i_phase])
        if kept_precision is None or kept_civilian is None or kept_sex is None or kept_age is None:
            return None
        if kept_phase is None:
            return None
        place, admin = cells[i_place].strip(), cells[i_admin].strip()
        activity, external = cells[i_activity].strip(), cells[i_external].strip()
        name, address = cells[i_name].strip(), cells[i_address].strip()
        if (
            len(place) > l_place
            or len(admin) > l_admin
            or len(activity) > l_activity
            or len(external) > l_external
            or len(name) > l_name
            or len(address) > l_address
        ):
            return None
        title = cells[i_source].strip()[:300] or default_source
        source = sources.get(title)
        if source is None:
            # A dry run creates nothing: the id is only needed when rows are written.
            source = writer.source_id(title) if resolve_sources else 0
        year = start[1]
        buckets.add((iso3, year))
        return (
            iso3, start[0], end_adapted, year, place, admin, lat, lon, kept_precision, killed, injured,
            kept_civilian, kept_sex, kept_age, activity, kept_phase, source, external, name, address,
            *fixed,
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
        )
        convert = _fast_rows(columns, checker, writer, resolve_sources=not dry_run)
        batch, checked_rows, writing = writer.batch, 0, not dry_run
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
                elif checked is not None and writing:
                    writer.add(checked)
            elif writing:
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
        if not dry_run:
            writer.flush()
            report.imported = writer.written
            if approve:
                services.casualty_totals_refresh(buckets=writer.buckets)
            if job is not None:
                # In the rows' own transaction: a process killed after the commit must not leave a job that still
                # says "running", which a requeued task would import again.
                ImportJob.objects.filter(pk=job.pk).update(
                    status=JobStatus.DONE, rows_done=report.rows, imported=report.imported, finished_at=timezone.now()
                )
            audit_record(
                by=by,
                action="research.import",
                target=job,
                label=None if job else f"Casualty import: {default_source or '-'}",
                detail={
                    "imported": report.imported,
                    "approved": approve,
                    "organisation": organisation,
                    "source": default_source,
                },
            )
        if on_progress:
            on_progress(report.rows)
    return report


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
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        imported=report.imported,
        rows_done=report.rows,
        error_count=report.error_count,
        errors=[p.as_dict() for p in report.errors],
        warnings=[p.as_dict() for p in report.warnings],
        finished_at=timezone.now(),
    )
    return str(status)


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
