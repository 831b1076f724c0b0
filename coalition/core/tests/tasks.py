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
def note_pid_and_wait(path: str, until: str, timeout: float = 120) -> None:
    """Says which process runs it (so a test can kill that one) and runs until the test creates `until`, so it
    is still running when killed however slow the machine is."""
    with Path(path).open("a") as log:
        log.write(f"started {os.getpid()}\n")
    deadline = time.monotonic() + timeout
    while not Path(until).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    with Path(path).open("a") as log:
        log.write(f"done {os.getpid()}\n")
