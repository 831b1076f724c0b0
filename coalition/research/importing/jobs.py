"""Import jobs (a staff page's import run by the worker, or a command's): how each ends (done, rejected, failed,
or abandoned by a process that died) and how far it got."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.research.importing.spec import Problem, Report
from coalition.research.models import ImportJob, JobStatus


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


def progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "research" / "imports" / f"progress-{job_id}.txt"


def progress_write(job_id: int, done: int) -> None:
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
