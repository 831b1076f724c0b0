"""backup-under-load: the letter POST load while `manage.py backup` runs again and again (A), against the same load
with no backup (B), interleaved; then the last backup taken under load is restored into a fresh database, checked
for integrity and counted against its manifest.

The database holds demo data written in bulk (`generate_demo_data` with the volumes below, BENCH_BACKUP_* to change
them) so that one backup takes a few seconds. The server and the load are letter-submit's: gunicorn 2 sync workers,
wrk with 16 connections posting letters from new writers (`bench_letter_submit.script()`). In A, a thread of this
process starts `manage.py backup --output …` as a child process, again as soon as one ends, from just before wrk
starts until wrk ends; the backup running then is allowed to finish (a backup that has not finished
BACKUP_GRACE_SECONDS after the load stopped is killed and counted as not finished) before B starts, so no backup
runs during B. Each arm lasts BENCH_BACKUP_LOAD_SECONDS (12 s; --seconds does not apply: an arm must hold several
backups); --pairs applies. A third arm, C, runs the same load beside a CPU busy loop at nice 10 (started like the
backups), for reference: what any CPU-bound background process costs the writers on this machine.

Restore: the last backup that finished while the load ran goes through `manage.py restore ARCHIVE --yes` into a
fresh database (SQLite: an empty VAR_DIR; PostgreSQL: a new, empty database). The restore checks SQLite's
integrity before loading and that no table has fewer rows than the manifest; this benchmark then counts every
table of the restored database against the manifest (equal, not just at least) and checks integrity itself:
SQLite's `PRAGMA integrity_check`, PostgreSQL's amcheck (`bt_index_check` with `heapallindexed` on every B-tree
index: each index agrees with its table).

python bench/run.py backup-under-load
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_letter_submit import SETUP, script
from bench.databases import POSTGRES_URL, Database, _recreate_postgres, prepared
from bench.harness import (
    PYTHON,
    ROOT,
    Comparison,
    bench_environment,
    by_database,
    gunicorn,
    load_average,
    log,
    manage,
    probe,
    wrk,
)

ID = "backup-under-load"
LOAD_SECONDS = float(os.environ.get("BENCH_BACKUP_LOAD_SECONDS", "12"))
BACKUP_GRACE_SECONDS = 120.0
ALONE = 2  # backups timed with no load, before the pairs
VOLUMES = {
    "supporters": int(os.environ.get("BENCH_BACKUP_SUPPORTERS", "10000")),
    "letters": int(os.environ.get("BENCH_BACKUP_LETTERS", "60000")),
    "casualties": int(os.environ.get("BENCH_BACKUP_CASUALTIES", "100000")),
}
LIMITS = {
    # Limits stay on (every request counts against them) but high enough not to be what is measured.
    "LETTERS_SUBMIT_RATE_PER_IP": "1000000000/h",
    "LETTERS_SUBMIT_RATE_PER_EMAIL": "1000/h",
}

COUNTS = """
import json
from coalition.core.backup import table_counts
print(json.dumps(table_counts()))
"""

AMCHECK = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'"
    )
    indexes = [row[0] for row in cursor.fetchall()]
    for name in indexes:
        cursor.execute("SELECT bt_index_check(%s::regclass, true)", [name])
print(json.dumps({"indexes": len(indexes)}))
"""


@dataclass
class Backup:
    number: int
    started: float
    ended: float = 0.0
    code: int | None = None
    path: Path | None = None
    during_load: bool = False  # finished while the load still ran
    killed: bool = False

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class BackupLoop:
    """`manage.py backup` again and again in child processes, from start() until stop()."""

    def __init__(self, environ: dict[str, str], out_dir: Path, first_number: int) -> None:
        self.environ = environ
        self.out_dir = out_dir
        self.number = first_number
        self.backups: list[Backup] = []
        self.load_end: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """The load has ended: let the running backup finish (or kill it after the grace time), start no other."""
        self.load_end = time.monotonic()
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.number += 1
            path = self.out_dir / f"backup-{self.number}.tar.gz"
            backup = Backup(number=self.number, started=time.monotonic())
            with tempfile.TemporaryFile() as err:
                process = subprocess.Popen(
                    [PYTHON, str(ROOT / "manage.py"), "backup", "--output", str(path), "-v0"],
                    env=self.environ,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                )
                while process.poll() is None:
                    if self.load_end is not None and time.monotonic() - self.load_end > BACKUP_GRACE_SECONDS:
                        process.kill()
                        backup.killed = True
                        process.wait()
                        break
                    time.sleep(0.02)
                backup.ended = time.monotonic()
                backup.code = process.returncode
                if backup.code == 0:
                    backup.path = path
                    backup.during_load = self.load_end is None or backup.ended <= self.load_end
                elif not backup.killed:
                    err.seek(0)
                    log(f"  backup {backup.number} failed: {err.read().decode(errors='replace')[-1500:]}")
            self.backups.append(backup)


def _manifest(archive: Path) -> dict[str, object]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())  # type: ignore[no-any-return]


@dataclass
class Result:
    database: str
    comparison: Comparison | None = None
    reference: Comparison | None = None
    against_reference: Comparison | None = None
    alone: list[float] = field(default_factory=list)
    backups: list[Backup] = field(default_factory=list)
    errors: int = 0
    size_mb: float = 0.0
    archive_mb: float = 0.0
    restored_from: str = ""
    restore_seconds: float = 0.0
    restore_output: str = ""
    integrity: str = ""
    tables: int = 0
    rows: int = 0
    equal: int = 0
    more: list[str] = field(default_factory=list)
    fewer: list[str] = field(default_factory=list)
    load: str = ""

    @property
    def under_load(self) -> list[Backup]:
        return [b for b in self.backups if b.during_load]


def _size_mb(database: Database) -> float:
    if database.name == "sqlite":
        path = database.var_dir / "coalition.sqlite3"
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    out = manage(
        database.environ,
        "shell",
        "-v0",
        "-c",
        "from django.db import connection\nwith connection.cursor() as c:\n"
        "    c.execute('SELECT pg_database_size(current_database())')\n    print(c.fetchone()[0])",
    )
    return int(out.strip()) / 1e6


def _restore(result: Result, database: Database, archive: Path) -> None:
    """Restore `archive` into a fresh database; check integrity and count every table against the manifest."""
    manifest = _manifest(archive)
    expected: dict[str, int] = manifest["tables"]  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="coalition-restore-") as tmp:
        url = ""
        if database.name == "postgresql":
            url = POSTGRES_URL + "_restored"
            _recreate_postgres(url)
        environ = bench_environment(Path(tmp), url)
        started = time.monotonic()
        result.restore_output = manage(environ, "restore", str(archive), "--yes").strip().splitlines()[-1]
        result.restore_seconds = time.monotonic() - started
        counts: dict[str, int] = json.loads(manage(environ, "shell", "-v0", "-c", COUNTS))
        if database.name == "sqlite":
            check = "from bench.integrity import sqlite_integrity; print(sqlite_integrity())"
            result.integrity = manage(environ, "shell", "-v0", "-c", check).strip()
        else:
            checked = json.loads(manage(environ, "shell", "-v0", "-c", AMCHECK))
            result.integrity = f"ok (amcheck: {checked['indexes']} B-tree indexes agree with their tables)"
        if url:
            subprocess.run(
                ["psql", url.rsplit("/", 1)[0] + "/postgres", "-q", "-c", f'DROP DATABASE "{url.rsplit("/", 1)[1]}"'],
                check=True,
                capture_output=True,
            )
    result.tables = len(expected)
    result.rows = sum(expected.values())
    for table, count in sorted(expected.items()):
        found = counts.get(table, 0)
        if found == count:
            result.equal += 1
        elif found > count:
            result.more.append(f"{table} {count:,} → {found:,}")
        else:
            result.fewer.append(f"{table} {count:,} → {found:,}")
    for table in sorted(set(counts) - set(expected)):
        result.more.append(f"{table} (not in the manifest) {counts[table]:,}")


def _run_one(kind: str, pairs: int) -> Result:
    result = Result(database=kind)
    with prepared(kind) as database, tempfile.TemporaryDirectory(prefix="coalition-backups-") as out:
        environ = {**database.environ, **LIMITS}
        log(f"[{kind}] generating demo data: {', '.join(f'{n:,} {name}' for name, n in VOLUMES.items())}…")
        volumes = [f"--{name}={n}" for name, n in VOLUMES.items()]
        manage(environ, "generate_demo_data", "--scale=small", *volumes, "-v0")
        manage(environ, "shell", "-c", SETUP)
        result.size_mb = _size_mb(database)
        out_dir = Path(out)
        for n in range(ALONE):
            started = time.monotonic()
            path = out_dir / f"alone-{n}.tar.gz"
            manage(environ, "backup", "--output", str(path), "-v0")
            result.alone.append(time.monotonic() - started)
            result.archive_mb = path.stat().st_size / 1e6
            path.unlink()
        log(
            f"[{kind}] database {result.size_mb:,.0f} MB; a backup with no load: "
            f"{', '.join(f'{s:.1f} s' for s in result.alone)} ({result.archive_mb:,.0f} MB archive)"
        )
        before = load_average()
        with gunicorn(environ) as server:
            if errors := probe(f"{server.url}/act/bench/", script=script()):
                raise RuntimeError(f"[{kind}] the letter POST fails ({errors} errors/non-2xx-3xx)")
            numbers = [0]

            def load() -> float:
                measured = wrk(f"{server.url}/act/bench/", seconds=LOAD_SECONDS, script=script())
                result.errors += measured.errors
                return measured.requests_per_s

            def with_backups() -> float:
                loop = BackupLoop(environ, out_dir, numbers[0])
                loop.start()
                try:
                    rate = load()
                finally:
                    loop.stop()
                    numbers[0] = loop.number
                    result.backups.extend(loop.backups)
                done = [b for b in loop.backups if b.during_load]
                log(
                    f"  [{kind}] backups during this load: {len(loop.backups)} started, {len(done)} finished "
                    f"under load ({', '.join(f'{b.seconds:.1f} s' for b in done) or '—'}); the last one ended "
                    f"{loop.backups[-1].ended - (loop.load_end or 0):+.1f} s after the load"
                    + (" (killed)" if loop.backups[-1].killed else "")
                )
                return rate

            def with_busy_loop() -> float:
                hog = subprocess.Popen(["nice", "-n", "10", PYTHON, "-c", "while True: pass"])  # noqa: S607
                try:
                    return load()
                finally:
                    hog.kill()
                    hog.wait()

            result.comparison, result.reference, result.against_reference = _interleave3(
                kind, with_backups, load, with_busy_loop, pairs
            )
        result.load = f"{before} → {load_average()}"
        done = result.under_load or [b for b in result.backups if b.path]
        if not done:
            raise RuntimeError(f"[{kind}] no backup finished")
        last = done[-1]
        assert last.path is not None
        result.restored_from = f"backup {last.number} ({last.seconds:.1f} s, " + (
            "under load)" if last.during_load else "NOT under load)"
        )
        log(f"[{kind}] restoring {result.restored_from} into a fresh database…")
        _restore(result, database, last.path)
        log(
            f"[{kind}] restored in {result.restore_seconds:.1f} s: {result.restore_output}; integrity "
            f"{result.integrity}; {result.equal}/{result.tables} tables equal to the manifest, more {result.more}, "
            f"fewer {result.fewer}"
        )
    return result


def _interleave3(
    kind: str,
    measure_a: Callable[[], float],
    measure_b: Callable[[], float],
    measure_c: Callable[[], float],
    pairs: int,
) -> tuple[Comparison, Comparison, Comparison]:
    """The harness's interleave with a third arm: A B C after a warm-up round; A ÷ B and C ÷ B of the same B,
    and A ÷ C of the same round (the revised goal)."""
    subject = Comparison(
        name=f"letter POST req/s ({kind})",
        subject="POST /act/bench/ + backup loop",
        baseline="POST /act/bench/ alone",
        goal="reported (the goal before its revision: ≥ 0.7×)",
    )
    against_reference = Comparison(
        name=f"backup ÷ busy loop ({kind})",
        subject="POST /act/bench/ + backup loop",
        baseline="POST /act/bench/ + CPU busy loop at nice 10",
        goal="≥ 0.9× (A ÷ C)",
    )
    reference = Comparison(
        name=f"reference ({kind})",
        subject="POST /act/bench/ + CPU busy loop at nice 10",
        baseline="POST /act/bench/ alone",
        goal="what any CPU-bound background process costs here",
    )
    measure_a(), measure_b(), measure_c()
    for _ in range(pairs):
        a, b, c = measure_a(), measure_b(), measure_c()
        subject.add(a, b)
        reference.add(c, b)
        against_reference.add(a, c)
        log(f"  {subject.name}: A={a:,.1f} B={b:,.1f} C={c:,.1f} req/s, A÷B={a / b:.2f}, C÷B={c / b:.2f}")
    return subject, reference, against_reference


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    results = [_run_one(kind, pairs) for kind in databases]
    rows = [c.row() for r in results for c in (r.against_reference, r.comparison, r.reference) if c]

    def durations(backups: list[Backup]) -> str:
        if not backups:
            return "—"
        values = [b.seconds for b in backups]
        return f"{statistics.median(values):.1f} s ({min(values):.1f}–{max(values):.1f})"

    table: list[tuple[str, list[str]]] = [
        (
            "database size before the load (file and WAL / pg_database_size; each round adds letters)",
            [f"{r.size_mb:,.0f} MB" for r in results],
        ),
        (
            "backup with no load (median of 2), archive size",
            [f"{statistics.median(r.alone):.1f} s, {r.archive_mb:,.0f} MB" for r in results],
        ),
        ("backups started during the A arms (warm-up included)", [str(len(r.backups)) for r in results]),
        ("**finished while the load ran**", [f"**{len(r.under_load)}**" for r in results]),
        ("their time under load, median (min–max)", [durations(r.under_load) for r in results]),
        (
            "finished only after the load had stopped (the one running at the end of an arm)",
            [
                f"{sum(1 for b in r.backups if b.path and not b.during_load)} "
                f"({durations([b for b in r.backups if b.path and not b.during_load])})"
                for r in results
            ],
        ),
        (
            f"killed, not finished {BACKUP_GRACE_SECONDS:.0f} s after the load / failed",
            [
                f"{sum(b.killed for b in r.backups)} / {sum(1 for b in r.backups if b.code and not b.killed)}"
                for r in results
            ],
        ),
        ("wrk socket errors and non-2xx/3xx answers, all arms", [str(r.errors) for r in results]),
        ("restored (`manage.py restore ARCHIVE --yes` into a fresh database)", [r.restored_from for r in results]),
        ("restore time; its last line", [f"{r.restore_seconds:.1f} s; {r.restore_output}" for r in results]),
        ("**integrity of the restored copy**", [f"**{r.integrity}**" for r in results]),
        (
            "**tables with the manifest's count** (rows in the manifest)",
            [f"**{r.equal} of {r.tables}** ({r.rows:,})" for r in results],
        ),
        ("tables with more rows than the manifest", ["; ".join(r.more) or "0" for r in results]),
        ("tables with fewer rows than the manifest", ["; ".join(r.fewer) or "0" for r in results]),
        ("load average before → after the pairs (1, 5, 15 min; 2 shared cores)", [r.load for r in results]),
    ]
    header = (
        "## backup-under-load\n\n"
        f"Data: `generate_demo_data --scale=small` with {', '.join(f'{n:,} {name}' for name, n in VOLUMES.items())} "
        "(bulk inserts, fixed seed), plus letter-submit's bench action. Server: gunicorn 2 sync worker(s) × 1 "
        "thread(s), SQLite in WAL with `synchronous=NORMAL`, PostgreSQL with the server's defaults. Load: wrk, 16 "
        "connections, closed loop, letter POSTs from new writers (`bench_letter_submit.script()`), "
        f"{LOAD_SECONDS:g} s per arm. A: the load while `manage.py backup --output …` (its defaults: CPU priority "
        "lowered by `--nice 10`, archive gzipped at level 6) runs in a child process again and again (the next "
        "starts when one ends); the backup still running when the load stops is left to "
        "finish before B. B: the same load with no backup. C, for reference: the same load beside a process that "
        "only burns CPU (`nice -n 10 python -c 'while True: pass'`), started the same way as the backups: what any "
        "CPU-bound background work costs the writers on this machine. Interleaved A B C after a warm-up round; the "
        "ratios are A ÷ C (the revised goal: a backup costs the writers no more than any background CPU work at "
        "its priority) and A ÷ B and C ÷ B of the same B, higher is better; the first row of each database is "
        "A ÷ C, its B column being C. Then the last backup that finished under load "
        "is restored with `manage.py "
        "restore ARCHIVE --yes` into a fresh database and every table is counted against the archive's manifest; "
        "integrity: SQLite's `PRAGMA integrity_check`, PostgreSQL's amcheck `bt_index_check(index, true)` on every "
        "B-tree index.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    backups = by_database([r.database for r in results], table)
    return header + "\n".join(rows) + "\n\nBackups and the restore:\n\n" + backups
