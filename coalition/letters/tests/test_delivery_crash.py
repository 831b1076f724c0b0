"""Exactly once as BRIEF.md defines it, with real processes: a worker killed with SIGKILL in the middle of
sending, and an SMTP server that refuses for a while. Nothing is lost; only the message in flight at the
kill may arrive twice, and both copies carry the same Message-ID."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from coalition.letters.tests.smtp import Sink, SMTPServer

ROOT = Path(__file__).resolve().parents[3]
LETTERS = 5

pytestmark = pytest.mark.slow


def environment(var_dir: Path, smtp_port: int, smtp_options: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": "",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}{smtp_options}",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DEAD_AFTER_SECONDS": "2",
        "LETTERS_SEND_LEASE_SECONDS": "4",
        "LETTERS_SIMILARITY_PERCENT": "101",  # the letters are near-identical on purpose; no holds here
        "LETTERS_RETRY_DELAYS_SECONDS": ",".join(["1"] * 10),
        "DJANGO_SETTINGS_MODULE": "coalition.settings",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval=0.2", "--no-startup-delay"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def statuses(var_dir: Path) -> Counter[str]:
    with sqlite3.connect(var_dir / "coalition.sqlite3", timeout=20) as db:
        return Counter(dict(db.execute("SELECT status, COUNT(*) FROM letters_message GROUP BY status").fetchall()))


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@contextmanager
def stalling_server_and_worker_database(
    var_dir: Path, make_data: str, smtp_options: str = "", **settings: str
) -> Iterator[tuple[dict[str, str], Sink]]:
    """What both delivery crash tests start from (letters' and mailings'): an SMTP server that holds the first
    message it gets for 3 s (the one in flight at the kill), and the workers' environment (with `settings`) whose
    database is migrated and filled by `make_data`, a call run by `manage.py shell -c`. Yields the environment and
    what the server received; the server stops on leaving."""
    server = SMTPServer().start()
    server.sink.stall_seconds, server.sink.stall_first_only = 3.0, True
    env = {**environment(var_dir, server.port, smtp_options), **settings}
    try:
        manage(env, "migrate", "-v0")
        manage(env, "shell", "-c", make_data)
        yield env, server.sink
    finally:
        server.stop()


def kill_mid_send_then_refuse(
    env: dict[str, str],
    sink: Any,
    total: int,
    sent: Callable[[], int],
    *,
    refusing_seconds: float,
    after_kill: Callable[[], None] = lambda: None,
) -> None:
    """The crash both delivery tests play (letters' and mailings'): a worker killed with SIGKILL while the
    server holds its first message, a second worker against a server refusing for `refusing_seconds`, then
    a server that accepts, until `sent()` reaches `total`. Workers are stopped in any case."""
    workers: list[subprocess.Popen[bytes]] = []
    try:
        first = start_worker(env)
        workers.append(first)
        wait_until(lambda: len(sink.received) == 1)  # the server has the message; the worker waits for "250"
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert sent() == 0, "killed before recording anything as sent"
        after_kill()

        sink.refuse = "451 4.3.0 Try again later"  # and now the server refuses for a while
        workers.append(start_worker(env))
        time.sleep(refusing_seconds)
        assert sent() == 0
        sink.refuse = ""

        wait_until(lambda: sent() == total)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=15)


def test_a_worker_killed_mid_send_and_a_refusing_server_lose_nothing_and_repeat_only_the_message_in_flight(
    tmp_path,
):
    make_data = (
        f"from coalition.letters.tests.crash_setup import make_confirmed_letters; make_confirmed_letters({LETTERS})"
    )
    with stalling_server_and_worker_database(tmp_path, make_data) as (env, sink):
        assert statuses(tmp_path) == Counter({"pending": LETTERS})
        kill_mid_send_then_refuse(env, sink, LETTERS, lambda: statuses(tmp_path)["sent"], refusing_seconds=3)

    with sqlite3.connect(tmp_path / "coalition.sqlite3") as db:
        fixed_ids = {row[0] for row in db.execute("SELECT message_id FROM letters_message")}
        errors = [row[0] for row in db.execute("SELECT last_error FROM letters_message")]
    copies = Counter(sink.message_ids())
    assert set(copies) == fixed_ids, "every message arrived, each with the Message-ID fixed when queued"
    # The server had the message in flight when its worker died, unrecorded: it is the one sent twice.
    assert sorted(copies.values()) == [1] * (LETTERS - 1) + [2]
    assert errors == [""] * LETTERS
