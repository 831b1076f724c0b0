"""A worker killed with SIGKILL in the middle of a task: another worker runs the task to the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coalition.core.tests.processes import ROOT, command, wait_until

pytestmark = pytest.mark.slow


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
    """The Procfile's worker, polling more often than its default so the test is short."""
    env = environment(var_dir)
    worker = command("worker", env, "--interval=0.2", "--no-startup-delay")
    return subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
