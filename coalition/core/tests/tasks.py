"""Tasks used only by the tests (the worker imports tasks by their dotted path)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def write_slowly(path: str, seconds: float) -> None:
    with Path(path).open("a") as log:
        log.write("started\n")
    time.sleep(seconds)
    with Path(path).open("a") as log:
        log.write("done\n")


@task()
def do_nothing() -> str:
    return "done"


@task()
def note_pid_and_wait(path: str, seconds: float) -> None:
    """Says which process runs it (so a test can kill that one) and takes long enough to be killed mid-task."""
    with Path(path).open("a") as log:
        log.write(f"started {os.getpid()}\n")
    time.sleep(seconds)
    with Path(path).open("a") as log:
        log.write(f"done {os.getpid()}\n")
