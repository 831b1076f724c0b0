"""Exactly once as BRIEF.md defines it, with real processes and a real SMTP server (aiosmtpd): a worker killed
with SIGKILL in the middle of a batch, then a server that refuses for a while. Every recipient gets the mailing;
only the message in flight at the kill arrives twice, both copies with the same Message-ID."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from coalition.letters.tests.test_delivery_crash import kill_mid_send_then_refuse, stalling_server_and_worker_database

RECIPIENTS = 8

pytestmark = pytest.mark.slow


def statuses(var_dir: Path) -> Counter[str]:
    with sqlite3.connect(var_dir / "coalition.sqlite3", timeout=20) as db:
        rows = db.execute("SELECT status, COUNT(*) FROM mailings_delivery GROUP BY status").fetchall()
    return Counter(dict(rows))


def test_a_worker_killed_mid_batch_and_a_refusing_server_lose_nothing_and_repeat_only_the_message_in_flight(
    tmp_path,
):
    make_data = (
        f"from coalition.mailings.tests.crash_setup import make_scheduled_mailing; make_scheduled_mailing({RECIPIENTS})"
    )
    with stalling_server_and_worker_database(
        tmp_path,
        make_data,
        smtp_options="?timeout=2",
        MAILINGS_LEASE_SECONDS="6",
        MAILINGS_RATE_PER_MINUTE="0",
        MAILINGS_BATCH_SIZE="50",
        MAILINGS_RETRY_DELAYS_SECONDS=",".join(["1"] * 20),
    ) as (env, sink):

        def all_queued() -> None:
            assert statuses(tmp_path) == Counter({"queued": RECIPIENTS}), "killed before recording anything"

        kill_mid_send_then_refuse(
            env, sink, RECIPIENTS, lambda: statuses(tmp_path)["sent"], refusing_seconds=6, after_kill=all_queued
        )

    with sqlite3.connect(tmp_path / "coalition.sqlite3") as db:
        fixed_ids = {row[0] for row in db.execute("SELECT message_id FROM mailings_delivery")}
    copies = Counter(sink.message_ids())
    assert set(copies) == fixed_ids, "every recipient got it, each copy with the Message-ID fixed before sending"
    assert sorted(copies.values()) == [1] * (RECIPIENTS - 1) + [2], "only the message in flight came twice"
    assert all(message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in sink.received)
