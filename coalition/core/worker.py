"""The task worker: django-tasks-db's worker plus heartbeats, so a task of a dead worker is run again."""

from __future__ import annotations

import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from coalition.core import services


class HeartbeatWorker(Worker):
    """Beats every WORKER_HEARTBEAT_SECONDS from a thread (so long tasks keep beating) and, between
    tasks, requeues tasks abandoned by workers that stopped beating."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._stop_beating = threading.Event()
        self._last_recovery = 0.0

    def beat_forever(self) -> None:
        try:
            while not self._stop_beating.wait(settings.WORKER_HEARTBEAT_SECONDS):
                services.worker_heartbeat(worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid())
                services.tasks_requeue_abandoned()
        finally:
            connection.close()

    def run(self) -> None:
        services.worker_heartbeat(worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid())
        services.tasks_requeue_abandoned()
        close_old_connections()
        beater = threading.Thread(target=self.beat_forever, name="worker-heartbeat", daemon=True)
        if not self.batch:
            beater.start()
        try:
            super().run()
        finally:
            self._stop_beating.set()
            services.worker_stop(worker_id=self.worker_id)


def run_pending_tasks() -> int:
    """Run every task that is ready now in this process, then return how many ran (tests, commands)."""
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
    worker.run()
    return worker._run_tasks
