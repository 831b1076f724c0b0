"""Periodic jobs (expire sign-ups, letters housekeeping, event reminders…) run by the task workers.

Each app may have a `schedule` module with `JOBS = [Job(...)]`. Every worker's heartbeat calls
`schedule_enqueue_due()`; a job's row is locked while deciding, so however many workers run, each
due run is enqueued once. No cron is needed on a laptop or a server; the jobs themselves are
idempotent, as every task is (docs/decisions/0002-tasks-api-database-backend.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from coalition.core.discovery import app_modules
from coalition.core.models import ScheduledJob
from coalition.core.services import enqueue_on_commit


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Task[Any, Any]


@cache
def registered_jobs() -> tuple[Job, ...]:
    return tuple(job for _label, module in app_modules("schedule") for job in module.JOBS)


def schedule_enqueue_due(*, now: datetime | None = None, jobs: tuple[Job, ...] | None = None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs if jobs is not None else registered_jobs():
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=job.name)
            row = ScheduledJob.objects.select_for_update().get(name=job.name)
            if row.last_enqueued_at is not None and row.last_enqueued_at > now - job.every:
                continue
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
            enqueue_on_commit(job.task)
        enqueued.append(job.name)
    return enqueued
