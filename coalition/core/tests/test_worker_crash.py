"""A worker killed with SIGKILL in the middle of a task: another worker runs the task to the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(var_dir: Path, *args: str, background: bool = False) -> subprocess.Popen[str] | str:
    environ = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": "",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DEAD_AFTER_SECONDS": "2",
    }
    command = [sys.executable, "manage.py", *args]
    if background:
        return subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(command, cwd=ROOT, env=environ, check=True, capture_output=True, text=True).stdout


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_a_task_whose_worker_is_killed_mid_task_is_finished_by_another_worker(tmp_path):
    log = tmp_path / "task.log"
    manage(tmp_path, "migrate", "-v0")
    manage(
        tmp_path,
        "shell",
        "-c",
        f"from coalition.core.tests.tasks import write_slowly; write_slowly.enqueue({str(log)!r}, 3)",
    )

    first = manage(tmp_path, "run_worker", "--no-reload", "--interval=0.2", "--no-startup-delay", background=True)
    wait_until(lambda: log.exists() and "started" in log.read_text())
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert "done" not in log.read_text()

    second = manage(tmp_path, "run_worker", "--no-reload", "--interval=0.2", "--no-startup-delay", background=True)
    try:
        wait_until(lambda: "done" in log.read_text())
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)
    assert log.read_text().splitlines() == ["started", "started", "done"]
