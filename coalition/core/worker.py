"""The task worker: django-tasks-db's worker (or, with TASK_BACKEND=redis, an RQ worker) plus heartbeats,
so a task of a dead worker is run again."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from coalition.core import services
from coalition.core.scheduler import schedule_enqueue_due

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    """One heartbeat: record that this worker is alive, put back what dead workers left running, and enqueue
    the periodic jobs that are due. Every worker does it, whatever the backend, so any one left alive recovers."""
    services.worker_heartbeat(worker_id=worker_id, hostname=socket.gethostname(), pid=os.getpid())
    if settings.TASK_BACKEND == "redis":
        from coalition.core import rq_worker

        rq_worker.jobs_requeue_abandoned()
        rq_worker.jobs_enqueue_scheduled()
    else:
        services.tasks_requeue_abandoned()
    schedule_enqueue_due()


def beat_until(worker_id: str, stop: threading.Event) -> None:
    """Beat every WORKER_HEARTBEAT_SECONDS until `stop` is set (from a thread, so long tasks keep beating)."""
    try:
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                beat(worker_id)
            except Exception:
                # A busy or briefly unreachable database (or Redis) must not stop the heartbeat for good.
                logger.exception("Worker %s: heartbeat failed; trying again", worker_id)
    finally:
        connection.close()


class HeartbeatWorker(Worker):
    """Beats every WORKER_HEARTBEAT_SECONDS from a thread (so long tasks keep beating); each beat also
    requeues tasks abandoned by workers that stopped beating and enqueues the periodic jobs that are due."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._stop_beating = threading.Event()
        self._last_recovery = 0.0

    def beat_forever(self) -> None:
        beat_until(self.worker_id, self._stop_beating)

    def run(self) -> None:
        services.worker_heartbeat(worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid())
        services.tasks_requeue_abandoned()
        beater = threading.Thread(target=self.beat_forever, name="worker-heartbeat", daemon=True)
        if not self.batch:
            beater.start()
        try:
            super().run()
        finally:
            self._stop_beating.set()
            services.worker_stop(worker_id=self.worker_id)


def run_pending_tasks() -> int:
    """Run every task that is ready now in this process and return how many ran (tests, commands).

    Unlike the worker loop, this never closes the database connection, so it works inside a
    test's transaction.
    """
    services.tasks_requeue_abandoned()
    worker = HeartbeatWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="inline",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            task = DBTaskResult.objects.ready().get_locked()
            if task is None:
                return ran
            task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
