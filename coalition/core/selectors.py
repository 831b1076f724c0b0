"""Reads of core's own records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from coalition.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class TaskQueueState:
    """What a monitor watches: tasks waiting to run, how long the oldest has waited, workers alive."""

    waiting: int
    oldest_seconds: float | None
    workers: int

    def as_json(self) -> dict[str, int | float | None]:
        oldest = None if self.oldest_seconds is None else round(max(0.0, self.oldest_seconds), 1)
        return {"waiting": self.waiting, "oldest_waiting_seconds": oldest, "workers": self.workers}


def task_queue_state() -> TaskQueueState:
    """Tasks ready to run now (not those delayed to later) and the workers that beat within
    WORKER_DEAD_AFTER_SECONDS; two queries on the database backend, two Redis round trips per queue on RQ."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)
    workers = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).count()
    if settings.TASK_BACKEND == "redis":
        from coalition.core import rq_worker

        waiting, oldest = rq_worker.queue_depth()
        return TaskQueueState(waiting=waiting, oldest_seconds=oldest, workers=workers)
    never = get_date_max()
    # A task waits from when it was enqueued, or, if it was delayed, from when it became due.
    figures = DBTaskResult.objects.ready().aggregate(
        waiting=Count("pk"),
        undelayed=Min("enqueued_at", filter=Q(run_after=never)),
        delayed=Min("run_after", filter=~Q(run_after=never)),
    )
    since = [moment for moment in (figures["undelayed"], figures["delayed"]) if moment is not None]
    oldest = (now - min(since)).total_seconds() if since else None
    return TaskQueueState(waiting=figures["waiting"], oldest_seconds=oldest, workers=workers)
