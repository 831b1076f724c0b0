"""Start the web server and a task worker together; Ctrl-C stops both. Used by `make run`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and one task worker in the foreground for local use (make run). Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        address = f"{options['host']}:{options['port']}"
        web_command = [*manage, "runserver", "--noreload", address]
        if not settings.STATIC_FROM_SOURCE:
            # Whitenoise serves the collected, fingerprinted files; collect them first.
            subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True)  # noqa: S603
        # The worker writes links into e-mails from SITE_URL, whose default follows PORT (settings.py).
        environ = {**os.environ, "PORT": str(options["port"])}
        children = [
            subprocess.Popen(web_command, env=environ),  # noqa: S603
            subprocess.Popen([*manage, "run_worker", "--no-reload", "--queue-name=*"], env=environ),  # noqa: S603
        ]
        self.stdout.write(self.style.SUCCESS(f"Coalition is running at http://{address}/ — press Ctrl-C to stop."))

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("A process stopped on its own; stopping the other.")
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self.stop_children(children)
            self.stdout.write("Stopped.")

    @staticmethod
    def stop_children(children: list[subprocess.Popen[bytes]]) -> None:
        """Give children a moment to finish on the Ctrl-C the terminal sent them, then ask, then insist."""
        for grace, action in ((2, None), (10, signal.SIGTERM), (5, signal.SIGKILL)):
            deadline = time.monotonic() + grace
            for child in children:
                if action is not None and child.poll() is None:
                    child.send_signal(action)
            for child in children:
                try:
                    child.wait(timeout=max(0.05, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
            if all(child.poll() is not None for child in children):
                return
