"""The task worker with TASK_BACKEND=redis: an RQ worker that runs django-tasks-rq's jobs, with the same
heartbeats as the database worker (coalition/core/worker.py), so the two backends recover the same way.

RQ alone gives a job whose worker died to its failed registry a minute or more later (or never, with no
retries), and moves delayed jobs only in the one worker holding its scheduler lock. Here every worker's
heartbeat puts back the jobs of workers that stopped beating (the same `WorkerHeartbeat` rows and
WORKER_DEAD_AFTER_SECONDS as the database backend) and moves the delayed jobs that are due, under a short
Redis lock so two workers never move the same job twice.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import django_rq
from django.conf import settings
from django.utils import timezone
from django_tasks_rq.backend import Job
from rq import SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import JobStatus
from rq.queue import Queue
from rq.registry import ScheduledJobRegistry
from rq.utils import current_timestamp

from coalition.core import services
from coalition.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

SCHEDULE_LOCK = "coalition:rq:schedule-lock"


def queues(names: list[str] | None = None) -> list[Queue]:
    """The RQ queues of the tasks backend ('*' or nothing: all of them)."""
    configured = list(settings.TASKS["default"].get("QUEUES") or settings.RQ_QUEUES)
    wanted = configured if not names or "*" in names else names
    return [django_rq.get_queue(name, job_class=Job) for name in wanted]


def _alive_workers() -> set[str]:
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)
    return set(WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))


def _age_seconds(moment: datetime | None) -> float:
    if moment is None:
        return float("inf")
    if moment.tzinfo is None:  # RQ stores UTC
        moment = moment.replace(tzinfo=UTC)
    return (timezone.now() - moment).total_seconds()


def jobs_requeue_abandoned() -> int:
    """Put back in their queue the jobs marked started by a worker that stopped beating; returns how many.

    Removing the registry entry is the claim: of two workers recovering at once, only the one whose ZREM
    removed it enqueues the job again. Tasks run at least once and are idempotent, as with the database.
    """
    alive = _alive_workers()
    requeued = 0
    for queue in queues():
        registry = queue.started_job_registry
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
            try:
                job = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            if job.get_status(refresh=False) != JobStatus.STARTED or job.worker_name in alive:
                continue
            # A worker that has only just claimed the job may not have beaten yet: give it the same grace.
            if _age_seconds(job.started_at) < settings.WORKER_DEAD_AFTER_SECONDS:
                continue
            if not queue.connection.zrem(registry.key, f"{job_id}:{execution_id}"):
                continue
            job.started_at = None
            queue.enqueue_job(job)
            requeued += 1
            logger.warning("Requeued job %s (%s) abandoned by worker %s", job.id, job.func_name, job.worker_name)
    return requeued


def jobs_enqueue_scheduled() -> int:
    """Move the delayed jobs that are due (a task's `run_after`: retries, reminders) into their queue."""
    connection = django_rq.get_connection()
    lock_seconds = max(1, settings.WORKER_HEARTBEAT_SECONDS)
    if not connection.set(SCHEDULE_LOCK, "1", nx=True, ex=lock_seconds):
        return 0  # another worker is doing it now
    moved = 0
    try:
        for queue in queues():
            registry = ScheduledJobRegistry(queue=queue)
            for job_id in registry.get_jobs_to_schedule(current_timestamp()):
                try:
                    job = Job.fetch(job_id, connection=queue.connection)
                except NoSuchJobError:
                    registry.remove(job_id)
                    continue
                with queue.connection.pipeline() as pipeline:
                    queue._enqueue_job(job, pipeline=pipeline)
                    registry.remove(job, pipeline=pipeline)
                    pipeline.execute()
                moved += 1
    finally:
        connection.delete(SCHEDULE_LOCK)
    return moved


def queue_depth() -> tuple[int, float | None]:
    """Jobs waiting in the queues now, and the age in seconds of the oldest (for /healthz)."""
    waiting = 0
    oldest: float | None = None
    for queue in queues():
        waiting += queue.count
        first = queue.get_job_ids(0, 1)
        if not first:
            continue
        try:
            job = Job.fetch(first[0], connection=queue.connection)
        except NoSuchJobError:
            continue
        if job.enqueued_at is not None:
            age = _age_seconds(job.enqueued_at)
            oldest = age if oldest is None else max(oldest, age)
    return waiting, oldest


class HeartbeatRQWorker(SimpleWorker):
    """Runs each job in this process (no fork per job: a SIGKILL stops the job with the worker, as with the
    database worker) and beats from a thread."""


def run(*, queue_names: list[str], worker_id: str | None, burst: bool = False, **_ignored: Any) -> None:
    from coalition.core.worker import beat, beat_until

    chosen = queues(queue_names)
    worker = HeartbeatRQWorker(chosen, name=worker_id, connection=chosen[0].connection, job_class=Job)
    worker_id = worker.name
    beat(worker_id)
    stop = threading.Event()
    beater = threading.Thread(target=beat_until, args=(worker_id, stop), name="worker-heartbeat", daemon=True)
    beater.start()
    try:
        worker.work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
        services.worker_stop(worker_id=worker_id)
