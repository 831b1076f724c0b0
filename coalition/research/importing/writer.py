"""Import of casualty records from CSV or HXL-tagged CSV: streamed, checked row by row, all or nothing.

A file is read once, in batches, so a million rows fit in bounded memory. Every bad row is reported
(row number as a spreadsheet shows it, field, reason); if there is any, nothing is kept. Rows go in
through the database driver in batches (`executemany`, or COPY on PostgreSQL) inside one transaction:
the per-row cost of building model instances would otherwise dominate a large import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.members.models import Organisation
from coalition.research import services
from coalition.research.importing import fast, jobs, updates
from coalition.research.importing.checks import RowChecker
from coalition.research.importing.spec import (
    FIXED_COLUMNS,
    I_EXTERNAL,
    ROW_COLUMNS,
    Problem,
    Report,
    count_rows,
    read_rows,
)
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, ImportJob, JobStatus, Status

BATCH = 5_000
# How many problems a job keeps for its page; the command prints every one as it is found.
KEPT_PROBLEMS = 1_000


class Writer:
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
    columns, header_problems, report.hxl, rows, _start = read_rows(handle)
    checker = RowChecker(default_source=default_source or _("Import of casualty records"))
    run = services.ImportRun(by=by, organisation=organisation, approve=approve, source=default_source)
    status = run.status

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
        writer = Writer(
            organisation_id=organisation.pk if organisation else None,
            status=status,
            by_id=by.pk if isinstance(by, User) else None,
            job_id=job.pk if job else None,
            dry_run=dry_run,
        )
        convert = fast.fast_rows(columns, checker, writer)
        batch, buckets, checked_rows, writing = writer.batch, writer.buckets, 0, not dry_run
        matcher = updates.Matcher()
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
        changed = updates.update_known(
            matcher.updates,
            fields=updates.updated_fields(columns),
            run=run,
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
                ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, **jobs.job_outcome(report))
            label = None if job else f"Casualty import: {default_source or '-'}"
            services.import_audit(run=run, counts=report, target=job, label=label)
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
    try:
        status = _run_job_file(job, report)
    except Exception as exc:
        # Anything unforeseen ends the job with its reason, so it never says "running" for a task that failed.
        jobs.job_fail(job_id=job.pk, reason=_("the import stopped on an unexpected error (%(error)s)") % {"error": exc})
        raise
    if status != JobStatus.DONE or job.dry_run:
        # A real import that succeeded recorded its outcome in the rows' own transaction.
        ImportJob.objects.filter(pk=job.pk).update(status=status, **jobs.job_outcome(report))
    return str(status)


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
                on_progress=lambda done: jobs.progress_write(job.pk, done),
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
