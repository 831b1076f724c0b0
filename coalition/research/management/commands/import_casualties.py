"""`manage.py import_casualties FILE`: load casualty records from CSV or HXL-tagged CSV."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError

from coalition.lib.imports import ImportRejected
from coalition.research.importing import jobs, spec, writer
from coalition.research.management.commands._place_import import ImportCommand, import_submitter
from coalition.research.models import ImportJob, JobStatus


class Command(ImportCommand):
    help = (
        "Import casualty records from a CSV file (one header row) or an HXL-tagged CSV file (a row of hashtags "
        "such as #country+code, #date+occurred, #affected+killed, #affected+killed+f+children under the header). A row "
        "whose identifier (#meta+id or id) names a record already kept updates it. Run it with --dry-run first: "
        "it reports every bad row (row, field, reason) and changes nothing. Without --dry-run the import is all "
        "or nothing. Rows await review unless --approve is given (for data already reviewed elsewhere)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        organisation, user = import_submitter(options)
        path = options["file"]
        with self.import_file(path) as handle:
            total = spec.count_rows(handle) if path != "-" else 0
            started = time.monotonic()

            def progress(done: int) -> None:
                if verbosity < 1:
                    return
                rate = done / max(time.monotonic() - started, 1e-6)
                if total:
                    width = 30
                    filled = round(width * min(done, total) / total)
                    bar = "#" * filled + "-" * (width - filled)
                    self.stdout.write(f"\r[{bar}] {done:,}/{total:,} rows ({rate:,.0f}/s)", ending="")
                else:
                    self.stdout.write(f"\r{done:,} rows ({rate:,.0f}/s)", ending="")
                self.stdout.flush()

            job = None
            if not options["dry_run"]:
                abandoned = jobs.import_jobs_fail_abandoned()
                if abandoned and verbosity >= 1:
                    self.stdout.write(f"{abandoned} earlier import(s) whose command was stopped marked failed.")
                job = ImportJob.objects.create(
                    original_name=str(path)[-200:],
                    dry_run=False,
                    approve=options["approve"],
                    organisation=organisation,
                    created_by=user,
                    status=JobStatus.RUNNING,
                    rows_total=total,
                    runner=jobs.runner_name(),
                )
            report = spec.Report()
            try:
                writer.casualties_import(
                    handle=handle,
                    job=job,
                    report=report,
                    **self.import_arguments(options, organisation=organisation, user=user, progress=progress),
                )
            except ImportRejected as exc:
                if job:
                    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.REJECTED, **jobs.job_outcome(report))
                self.stdout.write("")
                raise CommandError(
                    f"{len(exc.errors) if report.error_count == 0 else report.error_count} bad row(s) in "
                    f"{report.rows:,} checked; nothing was imported."
                ) from exc
            except BaseException as exc:  # an error, or Ctrl-C: the job must not stay "running"
                if job:
                    jobs.job_fail(job_id=job.pk, reason=f"the import command stopped: {exc!r}"[:500])
                raise
        self.stdout.write("")
        kind = "HXL" if report.hxl else "CSV"
        self.write_summary(
            report, kind=kind, warnings=report.warning_count, label="casualty records", dry_run=options["dry_run"]
        )
