"""A worker killed with SIGKILL in the middle of a task: another worker runs the task to the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def environment(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": "",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DEAD_AFTER_SECONDS": "2",
    }


def manage(var_dir: Path, *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=environment(var_dir), check=True, capture_output=True, text=True
    ).stdout


def start_worker(var_dir: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval=0.2", "--no-startup-delay"]
    return subprocess.Popen(
        command, cwd=ROOT, env=environment(var_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


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

    first = start_worker(tmp_path)
    wait_until(lambda: log.exists() and "started" in log.read_text())
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert "done" not in log.read_text()

    second = start_worker(tmp_path)
    try:
        wait_until(lambda: "done" in log.read_text())
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)
    assert log.read_text().splitlines() == ["started", "started", "done"]
