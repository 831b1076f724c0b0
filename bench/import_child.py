"""One `manage.py import_casualties FILE --approve` child of the import-crash benchmark, started as an operator
would, its progress read as it is printed (the timeline that places the kills), and killed with SIGKILL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import PYTHON, ROOT

PROGRESS = re.compile(rb"([\d,]+)/([\d,]+) rows \([\d,]+/s\)")
SUMMARY = re.compile(rb"imported ([\d,]+) casualty records \(")


@dataclass
class Timeline:
    """What a child import printed, and when (seconds since its start)."""

    started: float
    rows: int  # in the file: the progress shows them all once after the last batch
    progress: list[tuple[float, int]] = field(default_factory=list)
    summary: float | None = None  # the command's last line, after the commit and the job record's update
    exited: float | None = None
    lock: threading.Condition = field(default_factory=threading.Condition)

    def done(self) -> int:
        return self.progress[-1][1] if self.progress else 0

    def every_row_shown(self) -> list[float]:
        """When the progress showed every row: after the last batch, then once more just before the commit."""
        return [t for t, done in self.progress if done >= self.rows]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 600) -> bool:
        """Until `predicate` holds or the process has exited."""
        with self.lock:
            return self.lock.wait_for(lambda: predicate() or self.exited is not None, timeout)


class Import:
    """One `manage.py import_casualties FILE --approve` child, its progress read as it is printed."""

    def __init__(self, environ: dict[str, str], path: Path, rows: int) -> None:
        self.err = tempfile.TemporaryFile()
        self._stderr = ""
        command = [PYTHON, str(ROOT / "manage.py"), "import_casualties", str(path), "--approve", "-v1"]
        self.timeline = Timeline(started=time.monotonic(), rows=rows)
        self.process = subprocess.Popen(command, env=environ, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.err)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        # A progress line starts with a carriage return and has no end of its own (the next line's return ends
        # it), so each is read whole as soon as it arrives rather than when the next one does.
        assert self.process.stdout is not None
        pending = b""
        while chunk := self.process.stdout.read1(65536):
            pending += chunk
            while found := [m for m in (PROGRESS.search(pending), SUMMARY.search(pending)) if m]:
                match = min(found, key=lambda m: m.start())
                with self.timeline.lock:
                    if match.re is PROGRESS:
                        self.timeline.progress.append((self.elapsed(), int(match.group(1).replace(b",", b""))))
                    else:
                        self.timeline.summary = self.elapsed()
                    self.timeline.lock.notify_all()
                pending = pending[match.end() :]
        self.process.wait()
        with self.timeline.lock:
            self.timeline.exited = self.elapsed()
            self.timeline.lock.notify_all()

    def elapsed(self) -> float:
        return time.monotonic() - self.timeline.started

    def kill(self) -> tuple[float, int, bool]:
        """SIGKILL now; (seconds since start, rows the progress showed, whether the process was still running)."""
        at, done = self.elapsed(), self.timeline.done()
        running = self.process.poll() is None
        if running:
            os.kill(self.process.pid, signal.SIGKILL)
        self.finish()
        return at, done, running

    def finish(self) -> int:
        """Until the child has exited; its exit code. Its stderr is kept (the end of it) for `stderr`."""
        self.reader.join(timeout=600)
        code = self.process.wait()
        self.err.seek(0)
        self._stderr = self.err.read().decode(errors="replace")[-2000:]
        self.err.close()
        return code

    def stderr(self) -> str:
        """What the child wrote on stderr (the last 2,000 characters), once it has finished."""
        return self._stderr
