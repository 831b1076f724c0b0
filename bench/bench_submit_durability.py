"""submit-durability: letter POSTs in a burst while the web processes are killed with SIGKILL, then a check that
every submission the server acknowledged is in the database after the restart.

A small load client (threads, http.client, one new connection per request as gunicorn's sync workers close them)
posts letters from new writers, each with its own address, and records what every request got back: a status
code and its redirect, or the connection error. Acknowledged means a 2xx or 3xx answer redirecting to the
action's thanks page (the POST answers 302 on success). During the burst the gunicorn workers (the master's
children) are killed with SIGKILL at random moments, several times, and once the master and all its workers
together; gunicorn is then started again on the same database and the burst goes on. At the end the database is
read: every acknowledged address must have its supporter, letter, message and the task row that writes the
confirmation e-mail. On SQLite, `PRAGMA integrity_check` too.

The benchmark's own settings are fixed (a burst of about 35–45 s per database); --pairs, --seconds and --scale do
not apply. A SIGKILL of a process leaves what it wrote in the operating system's cache, so this checks the
application and the database against a crash of the web processes, not against a power cut (for that SQLite
needs `synchronous=FULL`, docs/decisions/0003-sqlite-default.md).

python bench/run.py submit-durability
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.bench_letter_submit import LETTER, SETUP, TOKEN
from bench.databases import Database, prepared
from bench.harness import by_database, gunicorn, load_average, log, manage

ID = "submit-durability"

CLIENT_THREADS = 8
WORKER_KILLS = 8  # rounds of SIGKILL to every worker; the full kill (master and workers) comes halfway
GAP_SECONDS = (1.5, 5.0)  # random time between two kills
TAIL_SECONDS = 3.0  # load after the last kill
REQUEST_TIMEOUT = 15.0
THANKS_PATH = "/act/bench/thanks/"
TASK_PATH = "coalition.letters.services.send_letter_email"
# Errors where the request may have reached a worker: the connection was reset or closed, or no answer came.
# A refused connection reached nothing (no server was listening).
REFUSED = "ConnectionRefusedError"

CHECK = """
import json, os
from django_tasks_db.models import DBTaskResult
from bench.integrity import sqlite_integrity
from coalition.letters.models import Letter, Message
from coalition.members.models import Supporter

prefix = os.environ["DURABILITY_PREFIX"]
supporters = dict(Supporter.objects.filter(email__startswith=prefix).values_list("pk", "email"))
letters = list(Letter.objects.values_list("pk", "supporter_id"))
with_message = set(Message.objects.values_list("letter_id", flat=True))
with_task = {
    row["args"][0] for row in DBTaskResult.objects.filter(task_path=os.environ["DURABILITY_TASK"])
    .values_list("args_kwargs", flat=True)
}
rows = {email: [1, 0, 0, 0] for email in supporters.values()}
stray_letters = 0
for letter_id, supporter_id in letters:
    email = supporters.get(supporter_id)
    if email is None:
        stray_letters += 1
        continue
    found = rows[email]
    found[1] += 1
    found[2] += letter_id in with_message
    found[3] += letter_id in with_task
print(json.dumps({
    "rows": rows,
    "stray_letters": stray_letters,
    "counts": [Supporter.objects.count(), len(letters), Message.objects.count(),
               DBTaskResult.objects.filter(task_path=os.environ["DURABILITY_TASK"]).count()],
    "integrity": sqlite_integrity(),
}))
"""


@dataclass
class Outcome:
    email: str
    status: int | None = None
    location: str = ""
    error: str = ""

    @property
    def answered_ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def acknowledged(self) -> bool:
        return self.answered_ok and urlsplit(self.location).path == THANKS_PATH


class Burst:
    """Letter POSTs from CLIENT_THREADS threads until stopped, each from a new address, every outcome kept."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url  # the live server; changed when gunicorn is started again
        self.prefix = prefix
        self.outcomes: list[Outcome] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(CLIENT_THREADS)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                email = f"{self.prefix}{next(self._numbers)}@example.invalid"
            outcome = self._post(email)
            with self._lock:
                self.outcomes.append(outcome)
            if outcome.error == REFUSED:
                time.sleep(0.05)  # no server listening (between the full kill and the restart)

    def _post(self, email: str) -> Outcome:
        parts = urlsplit(self.url)
        body = urlencode(
            {
                "csrfmiddlewaretoken": TOKEN,
                "name": "Durable Writer",
                "town": "Bergen",
                "agree": "on",
                "delivery": "email",
                "send": "1",
                "email": email,
                "body": LETTER,
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={TOKEN}"}
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("POST", "/act/bench/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return Outcome(email, status=response.status, location=response.getheader("Location") or "")
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(email, error=type(exc).__name__)
        finally:
            connection.close()


def _workers(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in found.split()]


def _sigkill(pids: list[int]) -> int:
    killed = 0
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    return killed


def _wait_gone(pids: list[int], timeout: float = 10) -> None:
    """Until the killed processes have exited (a zombie counts as gone: it holds no socket or lock)."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                break
            if state in {"Z", "X"}:
                break
            time.sleep(0.02)


@dataclass
class Result:
    database: str
    seed: int
    seconds: float = 0.0
    requests: int = 0
    worker_rounds: int = 0
    workers_killed: int = 0
    full_kills: int = 0
    full_kill_processes: int = 0
    acknowledged: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    other_answers: Counter[int] = field(default_factory=Counter)
    written_anyway: int = 0
    written_after_error: int = 0
    partial: list[str] = field(default_factory=list)
    stray_letters: int = 0
    counts: list[int] = field(default_factory=list)
    integrity: str = ""
    load: str = ""  # load average (1, 5, 15 min) before and after the burst: the machine is shared

    @property
    def verdict(self) -> bool:
        return not self.missing


def _burst(database: Database, environ: dict[str, str], result: Result, prefix: str) -> list[Outcome]:
    rng = random.Random(result.seed)  # noqa: S311  a kill schedule that can be replayed, not a secret
    events = ["workers"] * WORKER_KILLS
    events.insert(WORKER_KILLS // 2, "all")
    with ExitStack() as servers:
        server = servers.enter_context(gunicorn(environ))
        burst = Burst(server.url, prefix)
        started = time.monotonic()
        burst.start()
        try:
            for event in events:
                time.sleep(rng.uniform(*GAP_SECONDS))
                workers = _workers(server.pid)
                if event == "workers":
                    killed = _sigkill(workers)
                    result.worker_rounds += 1
                    result.workers_killed += killed
                    log(f"[{database.name}] {time.monotonic() - started:5.1f} s: SIGKILL to {killed} worker(s)")
                    continue
                # The master first, so that it cannot start a new worker, then the workers it had.
                killed = _sigkill([server.pid]) + _sigkill(workers)
                _wait_gone(workers)
                servers.close()  # reaps the dead master (the harness's SIGTERM finds it gone)
                result.full_kills += 1
                result.full_kill_processes += killed
                down = time.monotonic()
                server = servers.enter_context(gunicorn(environ))
                burst.url = server.url
                log(
                    f"[{database.name}] {down - started:5.1f} s: SIGKILL to the master and {killed - 1} worker(s); "
                    f"gunicorn started again on the same database in {time.monotonic() - down:.1f} s"
                )
            time.sleep(TAIL_SECONDS)
        finally:
            burst.stop()
        result.seconds = time.monotonic() - started
    return burst.outcomes


def _run_one(kind: str) -> Result:
    result = Result(database=kind, seed=random.SystemRandom().randrange(2**32))
    prefix = f"durable-{uuid.uuid4().hex[:8]}-"
    with prepared(kind) as database:
        environ = {
            **database.environ,
            # Limits stay on, high enough that no writer is turned away.
            "LETTERS_SUBMIT_RATE_PER_IP": "1000000000/h",
            "LETTERS_SUBMIT_RATE_PER_EMAIL": "1000/h",
        }
        manage(environ, "shell", "-c", SETUP)
        log(f"[{kind}] burst of letter POSTs from {CLIENT_THREADS} threads, kills at random (seed {result.seed})")
        before = load_average()
        outcomes = _burst(database, environ, result, prefix)
        result.load = f"{before} → {load_average()}"
        check = json.loads(
            manage({**environ, "DURABILITY_PREFIX": prefix, "DURABILITY_TASK": TASK_PATH}, "shell", "-v0", "-c", CHECK)
        )
    rows: dict[str, list[int]] = check["rows"]
    result.requests = len(outcomes)
    result.stray_letters = check["stray_letters"]
    result.counts = check["counts"]
    result.integrity = check["integrity"]
    sent = {outcome.email for outcome in outcomes}
    result.stray_letters += sum(1 for email in rows if email not in sent)
    for outcome in outcomes:
        found = rows.get(outcome.email, [0, 0, 0, 0])
        complete = found == [1, 1, 1, 1]
        if any(found) and not complete:
            result.partial.append(f"{outcome.email} {found}")
        if outcome.acknowledged:
            result.acknowledged += 1
            if complete:
                result.found += 1
            else:
                result.missing.append(f"{outcome.email} {found}")
            continue
        if outcome.error == REFUSED:
            result.refused += 1
        elif outcome.error:
            result.errors[outcome.error] += 1
        else:
            assert outcome.status is not None
            result.other_answers[outcome.status] += 1
        if complete:
            result.written_anyway += 1
            result.written_after_error += bool(outcome.error)
    log(
        f"[{kind}] {result.requests} requests, {result.acknowledged} acknowledged, {result.found} found, "
        f"{len(result.missing)} missing, errors {dict(result.errors)}, refused {result.refused}, "
        f"other answers {dict(result.other_answers)}, written without acknowledgement {result.written_anyway}, "
        f"partial {len(result.partial)}, integrity {result.integrity or 'n/a'}"
    )
    for line in result.missing[:20]:
        log(f"[{kind}] MISSING {line}")
    for line in result.partial[:20]:
        log(f"[{kind}] PARTIAL {line}")
    return result


def _errors(counter: Counter[str]) -> str:
    total = sum(counter.values())
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{name} {n}' for name, n in counter.most_common())})"


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    results = [_run_one(kind) for kind in databases]
    table: list[tuple[str, list[str]]] = [
        ("burst length", [f"{r.seconds:.0f} s" for r in results]),
        ("requests sent", [f"{r.requests:,}" for r in results]),
        (
            "worker kills (SIGKILL to every worker of the master)",
            [f"{r.worker_rounds} rounds, {r.workers_killed} processes" for r in results],
        ),
        (
            "full kills (SIGKILL to the master and its workers), restart on the same database",
            [f"{r.full_kills} ({r.full_kill_processes} processes)" for r in results],
        ),
        ("acknowledged (302 to /act/bench/thanks/)", [f"{r.acknowledged:,}" for r in results]),
        ("acknowledged and found (supporter, letter, message, task)", [f"{r.found:,}" for r in results]),
        ("**acknowledged but missing** (must be 0)", [f"**{len(r.missing)}**" for r in results]),
        ("connection reset or closed without an answer (in flight at a kill)", [_errors(r.errors) for r in results]),
        ("connection refused (no server listening, before the restart)", [f"{r.refused:,}" for r in results]),
        (
            "other answers (must be 0)",
            [", ".join(f"{n}× {code}" for code, n in r.other_answers.items()) or "0" for r in results],
        ),
        (
            "not acknowledged but written (committed before the kill; allowed)",
            [f"{r.written_anyway} ({r.written_after_error} after a connection error)" for r in results],
        ),
        (
            "partial or doubled rows for one address (must be 0: one transaction)",
            [str(len(r.partial)) for r in results],
        ),
        ("rows from no request of the burst (must be 0)", [str(r.stray_letters) for r in results]),
        (
            "rows in the database: supporters, letters, messages, tasks",
            [", ".join(f"{n:,}" for n in r.counts) for r in results],
        ),
        ("`PRAGMA integrity_check`", [r.integrity or "n/a" for r in results]),
        ("kill schedule seed", [str(r.seed) for r in results]),
        ("load average before → after (1, 5, 15 min; 2 shared cores)", [r.load for r in results]),
        (
            "**every acknowledged submission found**",
            [f"**{'yes' if r.verdict else 'no'}**" for r in results],
        ),
    ]
    missing = [f"- {r.database}: {line}" for r in results for line in r.missing[:20]]
    partial = [f"- {r.database}: {line}" for r in results for line in r.partial[:20]]
    notes = ""
    if missing:
        notes += "\n\nAcknowledged but missing ([supporter, letters, with message, with task]):\n" + "\n".join(missing)
    if partial:
        notes += "\n\nPartial rows ([supporter, letters, with message, with task]):\n" + "\n".join(partial)
    header = (
        "## submit-durability\n\n"
        "Server: gunicorn 2 sync worker(s) × 1 thread(s), SQLite in WAL with `synchronous=NORMAL`, PostgreSQL with "
        f"the server's defaults. Load: {CLIENT_THREADS} client threads (`bench/bench_submit_durability.py`, "
        "http.client, a new connection per request) posting letters to `POST /act/bench/`, each from a new address, "
        "recording for every request its status and redirect or its connection error. Acknowledged: a 2xx/3xx "
        "answer redirecting to the thanks page. During the burst, at random moments "
        f"({GAP_SECONDS[0]:g}–{GAP_SECONDS[1]:g} s apart), `kill -9` of every gunicorn worker (the master's "
        f"children, `pgrep -P`) {WORKER_KILLS} times, and once, halfway, of the master and its workers together, "
        "after which gunicorn is started again on the same database while the client keeps posting; then "
        f"{TAIL_SECONDS:g} s more load, the client stops, gunicorn stops, and the database is read through "
        "`manage.py shell`: each acknowledged address must have its supporter, its letter, its message and the row "
        "of the task that writes the confirmation e-mail (`coalition.letters.services.send_letter_email`). A SIGKILL "
        "tests a crash of the web processes, not a power cut.\n\n"
    )
    return header + by_database([r.database for r in results], table) + notes
