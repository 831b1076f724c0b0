"""Periodic jobs: enqueued once per interval whatever the number of workers, with no cron."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.core.scheduler import Job, registered_jobs, schedule_enqueue_due
from coalition.core.tests.tasks import do_nothing

pytestmark = pytest.mark.django_db

HOURLY = (Job("tests.hourly", timedelta(hours=1), do_nothing),)


def test_a_due_job_is_enqueued_once_until_its_interval_has_passed(django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_enqueue_due(now=now, jobs=HOURLY) == ["tests.hourly"]
        # Another worker's heartbeat a moment later finds nothing due.
        assert schedule_enqueue_due(now=now + timedelta(seconds=10), jobs=HOURLY) == []
        assert schedule_enqueue_due(now=now + timedelta(hours=1), jobs=HOURLY) == ["tests.hourly"]

    assert DBTaskResult.objects.filter(task_path="coalition.core.tests.tasks.do_nothing").count() == 2


def test_the_apps_daily_jobs_are_registered():
    names = {job.name for job in registered_jobs()}

    assert {
        "members.expire_unconfirmed_supporters",
        "letters.housekeeping",
        "events.send_due_reminders",
    } <= names


def test_every_registered_job_runs_in_a_worker(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_enqueue_due()

    assert run_tasks() == len(registered_jobs())
    assert not DBTaskResult.objects.failed().exists()
