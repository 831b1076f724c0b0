"""Start a task worker: `manage.py run_worker` (as many as you like, on any machine sharing the database)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from coalition.core.worker import HeartbeatWorker


class Command(DBWorkerCommand):
    help = (
        "Run a background task worker (e-mail, imports, mailings). `make run` starts one; in production run "
        "several. With TASK_BACKEND=redis it runs an RQ worker with the same heartbeats. A task whose worker dies "
        "is run again by another worker after WORKER_DEAD_AFTER_SECONDS."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        if settings.TASK_BACKEND == "redis":
            # django-tasks-db's --backend accepts only a database backend; the RQ worker takes no --backend.
            parser.set_defaults(backend_name=None)
            for action in parser._actions:
                if action.dest == "backend_name":
                    action.type = str

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        if settings.TASK_BACKEND == "redis":
            # The same command, so a Procfile or a systemd unit does not change with the backend.
            from coalition.core import rq_worker

            rq_worker.run(queue_names=queue_names, worker_id=options["worker_id"], burst=options["batch"])
            return
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
