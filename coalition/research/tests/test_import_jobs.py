"""Import jobs never stay "running": a job whose task failed, or whose command was killed, ends as failed with
the reason; a job that finished records its problems in the transaction that keeps its rows."""

from __future__ import annotations

import io
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command

from coalition.research import tasks
from coalition.research.importing import jobs, writer
from coalition.research.models import Casualty, ImportJob, JobStatus
from coalition.research.tests.import_files import CSV

pytestmark = pytest.mark.django_db

# Row 3 is outside Laos's rough bounds: a warning, not an error.
WITH_A_WARNING = "state,date,killed,injured,latitude,longitude\nLAO,2019-01-01,1,0,,\nLAO,2019-02-01,0,1,59.9,10.7\n"


def dead_pid() -> int:
    """The process number of a process that has really ended (started, then killed and reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # noqa: S603
    process.kill()
    process.wait()
    return process.pid


def running_job(runner: str) -> ImportJob:
    return ImportJob.objects.create(original_name="big.csv", dry_run=False, status=JobStatus.RUNNING, runner=runner)


class Killed(BaseException):
    """The process dying: not an Exception, so nothing on the way out catches it."""


def die_after_import(monkeypatch) -> None:
    """The import runs to its commit, then the process dies before anything after it."""
    real = writer.casualties_import

    def import_then_die(**kwargs):
        real(**kwargs)
        raise Killed

    monkeypatch.setattr(writer, "casualties_import", import_then_die)


def staff_job(text: str) -> ImportJob:
    """A staff page's import of `text`, queued as the page leaves it for the worker."""
    from django.core.files.base import ContentFile

    job = ImportJob(original_name="laos.csv", dry_run=False, approve=True)
    job.file.save("laos.csv", ContentFile(text.encode()))
    return job


def killed_after_the_commit(monkeypatch, text: str) -> ImportJob:
    """A staff page's import of `text` whose worker dies right after the commit that keeps its rows."""
    job = staff_job(text)
    die_after_import(monkeypatch)
    with pytest.raises(Killed):
        writer.casualties_import_job(job_id=job.pk)
    return job


def test_a_job_whose_command_was_killed_is_marked_failed_with_the_reason_by_the_scheduled_job(states):
    killed = running_job(f"{socket.gethostname()}:{dead_pid()}")
    alive = running_job(jobs.runner_name())  # this very process
    elsewhere = running_job(f"another-machine.example:{dead_pid()}")  # its own machine's commands judge it

    tasks.fail_abandoned_imports.call()

    killed.refresh_from_db(), alive.refresh_from_db(), elsewhere.refresh_from_db()
    assert killed.status == JobStatus.FAILED and killed.finished_at is not None
    assert "ended before the import finished" in killed.errors[0]["message"]
    assert (alive.status, elsewhere.status) == (JobStatus.RUNNING, JobStatus.RUNNING)


def test_the_next_import_command_marks_a_killed_ones_job_failed(states, tmp_path):
    killed = running_job(f"{socket.gethostname()}:{dead_pid()}")
    path = tmp_path / "casualties.csv"
    path.write_text(CSV)
    out = io.StringIO()

    call_command("import_casualties", str(path), stdout=out, stderr=io.StringIO())

    killed.refresh_from_db()
    assert killed.status == JobStatus.FAILED
    assert "1 earlier import(s) whose command was stopped marked failed" in out.getvalue()
    assert ImportJob.objects.exclude(pk=killed.pk).get().status == JobStatus.DONE


def test_a_command_stopped_by_an_error_fails_its_job_with_the_reason(states, tmp_path, monkeypatch):
    path = tmp_path / "casualties.csv"
    path.write_text(CSV)

    def broken(**kwargs):
        raise KeyboardInterrupt  # Ctrl-C

    monkeypatch.setattr(writer, "casualties_import", broken)
    with pytest.raises(KeyboardInterrupt):
        call_command("import_casualties", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and "KeyboardInterrupt" in job.errors[0]["message"]


def test_a_staff_import_whose_task_fails_unexpectedly_ends_failed_with_the_reason(states, monkeypatch):
    job = staff_job(CSV)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "casualties_import", broken)
    with pytest.raises(RuntimeError):
        writer.casualties_import_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "disk full" in job.errors[0]["message"] and job.error_count == 1


def test_warnings_are_kept_with_the_outcome_even_when_the_worker_dies_right_after_the_commit(states, monkeypatch):
    job = killed_after_the_commit(monkeypatch, WITH_A_WARNING)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Casualty.objects.count() == 2
    assert [(w["row"], w["field"]) for w in job.warnings] == [(3, "latitude/longitude")]


def test_a_worker_killed_right_after_the_commit_does_not_import_the_file_again(states, monkeypatch):
    # The import's rows and its job's "done" must commit together. If the job still said "running" once the rows
    # were in, the heartbeat would requeue the task of the dead worker and the file would be imported twice
    # (found by bench/bench_import_crash.py: a SIGKILL during the commit).
    job = killed_after_the_commit(monkeypatch, CSV)
    monkeypatch.undo()

    writer.casualties_import_job(job_id=job.pk)  # the task, requeued after the worker stopped beating

    assert Casualty.objects.count() == 3
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 3 and job.finished_at is not None


def test_the_commands_job_says_done_in_the_transaction_that_keeps_its_rows(states, tmp_path, monkeypatch):
    path = tmp_path / "casualties.csv"
    path.write_text(CSV)
    die_after_import(monkeypatch)
    with pytest.raises(Killed):
        call_command("import_casualties", str(path), "--approve", stdout=io.StringIO(), stderr=io.StringIO())
    job = ImportJob.objects.get()
    assert (job.status, job.imported, job.rows_done) == ("done", 3, 3)
    assert Casualty.objects.filter(import_job=job).count() == 3
