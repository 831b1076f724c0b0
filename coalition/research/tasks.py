"""Background tasks of the research app: staff-page imports and large exports."""

from __future__ import annotations

from django_tasks import task

from coalition.research import exporting
from coalition.research.importing import jobs, writer


@task()
def run_casualty_import(job_id: int) -> str:
    """Idempotent: a finished job is left alone; a half-done one kept nothing and starts again."""
    return writer.casualties_import_job(job_id=job_id)


@task()
def build_export(job_id: int) -> str:
    return exporting.export_job_build(job_id=job_id)


@task()
def fail_abandoned_imports() -> str:
    return f"{jobs.import_jobs_fail_abandoned()} abandoned import(s) marked failed"
