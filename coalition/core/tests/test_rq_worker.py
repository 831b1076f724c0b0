"""The RQ side of the worker (TASK_BACKEND=redis): what each heartbeat does, and /healthz's figures.

Needs a Redis (a database of the local one claimed for this run, see redis_db.py, emptied before and after); the whole
two-process run is in test_multiprocess.py."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_rq.backend import Job
from rq import Queue
from rq.job import JobStatus

from coalition.core import rq_worker, selectors
from coalition.core.models import WorkerHeartbeat
from coalition.core.tests import redis_db
from coalition.core.tests.processes import ROOT

pytestmark = [
    pytest.mark.django_db,
    # Redis database 15 is emptied by these tests and test_multiprocess's: one xdist worker runs them all.
    pytest.mark.xdist_group("redis"),
    pytest.mark.skipif(bool(redis_db.missing()), reason=redis_db.missing() or "Redis reachable"),
]

TASK = "coalition.core.tests.tasks.do_nothing"


@pytest.fixture
def rq_settings(settings):
    settings.TASK_BACKEND = "redis"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_db.url()}}
    client = redis_db.emptied()
    # RQ's own queue: django-rq's holds an enqueue back until the test's transaction commits, which it never does.
    yield Queue("default", connection=client, job_class=Job)
    redis_db.emptied()


def _started_by(queue, worker_name: str, started_ago: timedelta):
    """A job as a worker leaves it in RQ when it dies mid-job: marked started, in the started registry."""
    job = queue.enqueue(TASK)
    queue.remove(job)
    with queue.connection.pipeline() as pipeline:
        job.prepare_for_execution(worker_name, pipeline)
        pipeline.execute()
    job.started_at = datetime.now(tz=UTC) - started_ago
    job.save()
    queue.connection.zadd(queue.started_job_registry.key, {f"{job.id}:execution-of-{worker_name}": 10**10})
    return job


def test_a_job_of_a_worker_that_stopped_beating_goes_back_in_the_queue_once(rq_settings):
    queue = rq_settings
    WorkerHeartbeat.objects.create(worker_id="alive", last_seen=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="dead", last_seen=timezone.now() - timedelta(hours=1))
    orphan = _started_by(queue, "dead", started_ago=timedelta(minutes=5))
    busy = _started_by(queue, "alive", started_ago=timedelta(minutes=5))

    assert rq_worker.jobs_requeue_abandoned() == 1
    assert rq_worker.jobs_requeue_abandoned() == 0, "a second worker recovering at once finds nothing left"

    assert queue.get_job_ids() == [orphan.id]
    orphan.refresh()
    assert orphan.get_status() == JobStatus.QUEUED
    assert [job_id for job_id, _execution in queue.started_job_registry.get_job_and_execution_ids(cleanup=False)] == [
        busy.id
    ]


def test_a_job_just_started_by_a_worker_not_yet_seen_beating_is_left_alone(rq_settings):
    queue = rq_settings
    _started_by(queue, "new-worker", started_ago=timedelta(seconds=0))

    assert rq_worker.jobs_requeue_abandoned() == 0


def test_delayed_jobs_move_into_the_queue_when_due_and_not_before(rq_settings):
    queue = rq_settings
    due = queue.enqueue_at(datetime.now(tz=UTC) + timedelta(seconds=1), TASK)
    later = queue.enqueue_at(datetime.now(tz=UTC) + timedelta(hours=1), TASK)
    queue.scheduled_job_registry.schedule(due, datetime.now(tz=UTC) - timedelta(seconds=5))
    queue.connection.delete(rq_worker.SCHEDULE_LOCK)  # a worker process of an earlier test in this group may hold it

    assert rq_worker.jobs_enqueue_scheduled() == 1

    assert queue.get_job_ids() == [due.id]
    assert queue.scheduled_job_registry.get_job_ids() == [later.id]


def test_healthz_figures_come_from_the_rq_queue(rq_settings, client):
    queue = rq_settings
    queue.enqueue(TASK)
    queue.enqueue(TASK)
    WorkerHeartbeat.objects.create(worker_id="alive", last_seen=timezone.now())

    state = selectors.task_queue_state()
    tasks = client.get("/healthz").json()["tasks"]

    assert (state.waiting, state.workers) == (2, 1) and 0 <= state.oldest_seconds < 60
    assert tasks["waiting"] == 2 and tasks["workers"] == 1


def test_with_the_redis_backend_a_long_task_is_not_cut_short_by_rq():
    # RQ's default stops a job after 180 s; imports and mailings run longer, as they may on the database backend.
    env = {
        **os.environ,
        "TASK_BACKEND": "redis",
        "REDIS_URL": redis_db.url(),
        "DJANGO_SETTINGS_MODULE": "coalition.settings",
    }
    code = "from coalition.core import rq_worker; print(rq_worker.queues()[0]._default_timeout)"
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert shown.stdout.strip() == "-1", shown.stderr
