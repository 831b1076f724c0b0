"""mailing: a mailing to N supporters from the task queue (`manage.py run_worker`, batches over one SMTP
connection, each delivery recorded as sent) to a local aiosmtpd server, against a plain smtplib loop sending
the same personalised messages over one connection to the same server (bench/mailing_setup.py).

Both arms are timed at the server: messages per second from the first message received to the last. The
subject's start (computing the recipients, writing one delivery row each with its Message-ID) is reported
apart, and so is each process's peak memory (VmHWM) at N = 10,000 and 100,000 (BENCH_MAILING_SIZES), which
should stay flat as the list grows. Runs A B A B…, --pairs at the smallest size and one pair at larger ones.
Goal (BENCHMARKS.md): ≥ 0.8× the baseline's messages/s. A third arm, the same loop plus one committed UPDATE of
the delivery row per message (`smtplib_commit_floor`), is the floor under recording each message before the next.

python bench/run.py mailing --databases sqlite
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller

from bench.databases import prepared
from bench.harness import PYTHON, RESULTS, ROOT, free_port, log, manage, stop

ID = "mailing"
SIZES = [int(size) for size in os.environ.get("BENCH_MAILING_SIZES", "10000,100000").split(",")]


@dataclass
class Counter:
    """Counts what the server accepted, with the time of the first and of the last message."""

    count: int = 0
    first: float = 0.0
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self.lock:
            if self.count == 0:
                self.first = now
            self.count += 1
            self.last = now
        return "250 OK"

    def reset(self) -> None:
        with self.lock:
            self.count, self.first, self.last = 0, 0.0, 0.0

    def rate(self) -> float:
        return (self.count - 1) / (self.last - self.first) if self.count > 1 and self.last > self.first else 0.0


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in open(f"/proc/{pid}/status").read().splitlines():  # noqa: SIM115, PTH123
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _wait(counter: Counter, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while counter.count < expected:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {counter.count} of {expected} messages arrived in {timeout:.0f} s")
        time.sleep(0.1)


def _subject(environ: dict[str, str], counter: Counter, size: int, run: int) -> tuple[float, float, float]:
    """Messages/s, seconds from scheduling to the first message, the worker's peak memory in MB."""
    counter.reset()
    worker = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "run_worker", "--no-reload", "--interval=0.1", "--no-startup-delay"],
        env=environ, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(3)  # the worker has started and waits for tasks
        scheduled = time.monotonic()
        manage(environ, "shell", "-c", f"from bench.mailing_setup import schedule_mailing; schedule_mailing({run})")
        _wait(counter, size, timeout=max(120.0, size / 5))
        peak = _peak_rss_mb(worker.pid)
        return counter.rate(), counter.first - scheduled, peak
    finally:
        stop(worker, timeout=30)


def _baseline(environ: dict[str, str], counter: Counter, size: int, function: str, port: int) -> tuple[float, float]:
    """Messages/s of one of the loops in bench/mailing_setup.py and its peak memory in MB."""
    counter.reset()
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c",
         f"from bench.mailing_setup import {function}; {function}({port})"],
        env=environ, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _peak_rss_mb(process.pid))
        time.sleep(0.2)
    if process.returncode != 0:
        raise RuntimeError(f"{function} failed: {process.stderr.read()[-2000:] if process.stderr else ''}")
    _wait(counter, size, timeout=60)
    return counter.rate(), peak


def _kept_rows(databases: list[str]) -> list[str]:
    """Rows of the section written before for (database, size) pairs this run does not measure, kept as they
    were (their commit is in the note under the table), so one database or one size can be run alone."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if f"<!-- {ID} -->" not in text:
        return []
    section = text.split(f"<!-- {ID} -->", 1)[1].split(f"<!-- /{ID} -->", 1)[0]
    machine = next((line for line in section.splitlines() if line.startswith("Machine:")), "")
    commit = machine.split("commit ", 1)[1].split(",", 1)[0] if "commit " in machine else "?"
    kept = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 8 or cells[0] in {"database", "---"}:
            continue
        database, size = cells[0], cells[1].split(" ")[0].replace(",", "")
        if database in databases and int(size) in SIZES:
            continue
        if len(cells) == 8:  # written before the commit-floor arm existed
            cells = [*cells[:5], "not measured", "—", *cells[5:]]
        if "(from " not in cells[1]:
            cells[1] = f"{cells[1]} (from {commit})"
        kept.append(f"| {' | '.join(cells)} |")
    return kept


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows = []
    kept = _kept_rows(databases)
    for kind in databases:
        port = free_port()
        counter = Counter()
        controller = Controller(counter, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with prepared(kind) as database:
                environ = {
                    **database.environ,
                    "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                    "MAILINGS_RATE_PER_MINUTE": "0",
                    "MAILINGS_BATCH_SIZE": os.environ.get("BENCH_MAILING_BATCH", "1000"),
                    "MAILINGS_APPROVAL_THRESHOLD": "100000000",
                }
                made = 0
                run_number = 0
                for size in SIZES:
                    log(f"[{kind}] {size:,} supporters…")
                    manage(
                        environ, "shell", "-c",
                        f"from bench.mailing_setup import make_supporters; make_supporters({size - made})"
                        if made == 0 else
                        f"from bench.mailing_setup import add_supporters; add_supporters({size - made})",
                    )  # fmt: skip
                    made = size
                    ratios, floor_ratios, subject_rates, floor_rates, commit_rates = [], [], [], [], []
                    starts, peaks, floor_peaks = [], [], []
                    for _pair in range(pairs if size == SIZES[0] else 1):
                        run_number += 1
                        rate, start, peak = _subject(environ, counter, size, run_number)
                        floor, floor_peak = _baseline(environ, counter, size, "smtplib_floor", port)
                        commit_floor, _peak = _baseline(environ, counter, size, "smtplib_commit_floor", port)
                        log(
                            f"[{kind}] {size:,}: queue {rate:,.0f}/s, smtplib {floor:,.0f}/s, smtplib + commit "
                            f"{commit_floor:,.0f}/s, worker peak {peak:.0f} MB"
                        )
                        ratios.append(rate / floor)
                        floor_ratios.append(rate / commit_floor)
                        subject_rates.append(rate)
                        floor_rates.append(floor)
                        commit_rates.append(commit_floor)
                        starts.append(start)
                        peaks.append(peak)
                        floor_peaks.append(floor_peak)
                    rows.append(
                        f"| {kind} | {size:,} | {statistics.median(subject_rates):,.0f} "
                        f"| {statistics.median(floor_rates):,.0f} | **{statistics.median(ratios):.2f}×** "
                        f"({min(ratios):.2f}–{max(ratios):.2f}) | {statistics.median(commit_rates):,.0f} "
                        f"| **{statistics.median(floor_ratios):.2f}×** "
                        f"({min(floor_ratios):.2f}–{max(floor_ratios):.2f}) "
                        f"| {statistics.median(starts):.1f} s | {max(peaks):.0f} MB | {max(floor_peaks):.0f} MB |"
                    )
        finally:
            controller.stop()
    return "\n".join(
        [
            "## mailing",
            "",
            "A mailing from the task queue (one worker, batches of BENCH_MAILING_BATCH over one SMTP connection, each "
            "delivery recorded as sent) vs a plain smtplib loop sending the same personalised messages over one "
            "connection, both to a local aiosmtpd server, timed at the server. Higher is better; goal ≥ 0.8× the "
            "smtplib loop. A third arm, *smtplib + commit*, is the same loop with one autocommitted UPDATE of the "
            "message's delivery row after each message (the statement the queue runs, committed as the queue commits "
            "it: on PostgreSQL with `synchronous_commit` off unless MAILINGS_SYNCHRONOUS_MARKS): the floor under any "
            "sender that records each message before the next, which is what limits a killed worker to repeating "
            "the message in flight. *Start* is from scheduling to the first message (recipients computed, one delivery "
            "row each). Peak memory is each process's VmHWM. Rows marked *from* a commit were not measured in this "
            "run (one database or size can be run alone) and are kept as they were.",
            "",
            "| database | recipients | queue msg/s | smtplib msg/s | ratio (min–max) | smtplib + commit msg/s "
            "| ratio to it (min–max) | start | worker peak | smtplib peak |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *kept,
            *rows,
        ]
    )
