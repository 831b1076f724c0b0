"""import-crash: `manage.py import_casualties FILE --approve` killed with SIGKILL at chosen moments, then a check
that the import left all of its rows or none, a job record that does not claim a success it did not have, totals
that still match the records, and (SQLite) a database that passes `PRAGMA integrity_check`.

One casualty file (bench_research_import's generator, BENCH_IMPORT_CRASH_ROWS rows, 250,000 by default) is
imported again and again into the same database, each run a child process started as an operator would:

1. a first import runs to the end, so the database already holds rows and totals when the kills start, and its
   timeline (progress printed per batch of 5,000 rows, then the totals refresh and the commit) places the kills;
2. runs killed with SIGKILL, BENCH_IMPORT_CRASH_KILLS (3) at each of four moments, in this order:
   - *early*: a random moment between the process's start and the time the first import had reached 10 % of the
     rows (start-up, the row count, the first batches read, checked and inserted);
   - *mid-insert*: once the progress passes a random point between 40 % and 60 % of the rows, plus a random part
     of one batch's time;
   - *totals refresh*: near the commit, after the progress shows every row (the last batch is written) and before
     the importer's last progress line, which it prints just before leaving its transaction: a random part of
     the time the first import spent there (refreshing `CasualtyTotal`);
   - *commit*: after that last progress line, a random part of the time the first import took from there to its
     summary line (the commit, which also keeps the job record's "done");
3. a last import runs to the end.

After every run the database is read in a new process (`manage.py shell`): the casualty count must be the count
before the run or that count plus every row of the file, never in between, and the rows of each import job must
be none or all; the job record of a run that kept nothing must not say `done`; `CasualtyTotal` must equal a
GROUP BY of the approved casualties; on SQLite `PRAGMA integrity_check` must say `ok`. On PostgreSQL the check
first waits until the killed import's session has gone: its server process finishes the statement it was running,
and a COMMIT already sent still commits. The kill moments come from a seed (BENCH_IMPORT_CRASH_SEED, random if
unset) that the section reports; the k-th kill at a moment falls in the k-th of KILLS equal parts of its window,
so that the kills cover all of it. --pairs, --seconds and --scale do not apply. A SIGKILL leaves what the process
wrote in the operating system's cache: this checks a crash of the import, not a power cut.

python bench/run.py import-crash
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_research_import import write_file
from bench.databases import Database, prepared
from bench.harness import by_database, load_average, log, manage
from bench.import_child import Import

ID = "import-crash"
BATCH = 5_000  # the importer's batch: it prints its progress after each one
# A whole number of batches, so that the progress shows every row once before the totals refresh and the commit.
ROWS = max(1, int(os.environ.get("BENCH_IMPORT_CRASH_ROWS", "200000")) // BATCH) * BATCH
KILLS = int(os.environ.get("BENCH_IMPORT_CRASH_KILLS", "3"))  # runs killed at each moment
MOMENTS = ("early", "mid-insert", "totals refresh", "commit")

CHECK = """
import json, time
from django.db import connection
from django.db.models import Count, Sum
from bench.integrity import sqlite_integrity
from coalition.research.models import Casualty, CasualtyTotal, ImportJob

# On PostgreSQL the killed import's session lives on until its server process notices: it finishes the statement
# it was running, and a COMMIT it had already sent still commits. The state after the kill is the state once it
# has gone.
waited = 0.0
if connection.vendor == "postgresql":
    started = time.monotonic()
    with connection.cursor() as cursor:
        while time.monotonic() - started < 300:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
    waited = time.monotonic() - started

key = ("state_id", "year")
expected = {
    "|".join(str(row[k]) for k in key): [row["k"], row["i"], row["n"]]
    for row in Casualty.objects.filter(status="approved").values(*key)
    .annotate(k=Sum("killed"), i=Sum("injured"), n=Count("id")).order_by()
}
kept = {
    "|".join(str(row[k]) for k in key): [row["killed"], row["injured"], row["records"]]
    for row in CasualtyTotal.objects.values(*key, "killed", "injured", "records")
}
wrong = sorted(k for k in expected.keys() | kept.keys() if expected.get(k) != kept.get(k))
print(json.dumps({
    "casualties": Casualty.objects.count(),
    "by_job": {str(j): n for j, n in Casualty.objects.values_list("import_job_id").annotate(n=Count("id"))
               .values_list("import_job_id", "n")},
    "jobs": list(ImportJob.objects.order_by("pk").values_list("pk", "status", "imported")),
    "totals": len(kept),
    "totals_wrong": wrong[:10],
    "totals_wrong_count": len(wrong),
    "integrity": sqlite_integrity(),
    "waited": waited,
}))
"""


@dataclass
class Run:
    number: int
    moment: str
    target: str = ""
    at: float = 0.0
    rows_seen: int = 0
    killed: bool = False
    before: int = 0
    after: int = 0
    job: str = "none"  # the run's job record: status, imported
    job_rows: int = 0
    totals: int = 0
    totals_wrong: int = 0
    integrity: str = ""
    waited: float = 0.0  # PostgreSQL: until the killed import's session had ended
    problems: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.after == self.before:
            return "none"
        if self.after == self.before + ROWS:
            return "all"
        return f"**PARTIAL ({self.after - self.before:+,})**"


@dataclass
class Result:
    database: str
    seed: int
    runs: list[Run] = field(default_factory=list)
    first_seconds: float = 0.0
    totals_seconds: float = 0.0  # from every row shown to the last progress line (the totals refresh)
    commit_seconds: float = 0.0  # from the last progress line to the summary (commit, job record)
    load: str = ""

    @property
    def problems(self) -> list[str]:
        return [f"run {run.number} ({run.moment}): {problem}" for run in self.runs for problem in run.problems]


def _check(database: Database) -> dict[str, object]:
    return json.loads(manage(database.environ, "shell", "-v0", "-c", CHECK))  # type: ignore[no-any-return]


def _record(run: Run, check: dict[str, object], jobs_before: set[int], *, completed: bool) -> None:
    """Read the state after a run into `run` and note every rule it breaks."""
    run.after = int(check["casualties"])  # type: ignore[call-overload]
    by_job: dict[str, int] = check["by_job"]  # type: ignore[assignment]
    jobs: list[list[object]] = check["jobs"]  # type: ignore[assignment]
    new = [job for job in jobs if job[0] not in jobs_before]
    run.totals = int(check["totals"])  # type: ignore[call-overload]
    run.totals_wrong = int(check["totals_wrong_count"])  # type: ignore[call-overload]
    run.integrity = str(check["integrity"])
    run.waited = float(check["waited"])  # type: ignore[arg-type]
    if run.after not in (run.before, run.before + ROWS):
        run.problems.append(f"{run.after - run.before:+,} rows: neither none nor all of the file's {ROWS:,}")
    for job_id, count in by_job.items():
        if job_id != "None" and count != ROWS:
            run.problems.append(f"job {job_id} has {count:,} rows, neither none nor {ROWS:,}")
    if len(new) > 1:
        run.problems.append(f"{len(new)} job records from one run")
    if new:
        job_id, status, imported = new[0]
        run.job_rows = by_job.get(str(job_id), 0)
        run.job = f"{status}, imported {imported:,}"  # type: ignore[str-format]
        if status == "done" and (run.job_rows != ROWS or imported != ROWS):
            run.problems.append(f"job {job_id} says done with {run.job_rows:,} rows kept")
        if status != "done" and run.job_rows:
            # Not a success claimed without the rows, but a record behind its rows: a worker that finds the job
            # still running would import the file again.
            run.problems.append(f"job {job_id} says {status} but its {run.job_rows:,} rows were committed")
    elif run.after != run.before:
        run.problems.append("rows kept without a job record")
    if completed and (run.after != run.before + ROWS or not new or new[0][1] != "done"):
        run.problems.append("the import that ran to the end did not keep every row with its job done")
    if run.totals_wrong:
        run.problems.append(f"{run.totals_wrong} totals differ from a GROUP BY of the approved records")
    if run.integrity not in ("", "ok"):
        run.problems.append(f"integrity_check: {run.integrity}")


def _run_database(kind: str, path: Path, seed: int) -> Result:
    rng = random.Random(f"{seed}-{kind}")  # noqa: S311  a kill schedule that can be replayed, not a secret

    def within(low: float, high: float, k: int) -> float:
        """A random point in the k-th of KILLS equal parts of [low, high]: the kills cover the whole window."""
        part = (high - low) / KILLS
        return rng.uniform(low + k * part, low + (k + 1) * part)

    result = Result(database=kind, seed=seed)
    with prepared(kind) as database:
        before = load_average()
        jobs: set[int] = set()
        count = 0

        def settle(run: Run, *, completed: bool) -> None:
            nonlocal count
            run.before = count
            check = _check(database)
            _record(run, check, jobs, completed=completed)
            jobs.update(int(job[0]) for job in check["jobs"])  # type: ignore[attr-defined]
            count = run.after
            result.runs.append(run)
            log(
                f"[{kind}] run {run.number} ({run.moment}{', ' + run.target if run.target else ''}): "
                f"{'killed' if run.killed else 'ended'} at {run.at:.2f} s, {run.rows_seen:,} rows shown, "
                f"session gone after {run.waited:.2f} s; "
                f"{run.before:,} → {run.after:,} ({run.outcome}), job {run.job}, totals wrong {run.totals_wrong}, "
                f"integrity {run.integrity or 'n/a'}" + "".join(f"\n  PROBLEM {p}" for p in run.problems)
            )

        # 1. The first import, to the end: its timeline places the kills.
        first = Import(database.environ, path, ROWS)
        code = first.finish()
        if code != 0:
            raise RuntimeError(f"[{kind}] the first import failed: {first.stderr()}")
        timeline = first.timeline
        assert timeline.exited is not None and timeline.summary is not None
        all_shown, last_line = timeline.every_row_shown()
        tenth = next(t for t, done in timeline.progress if done >= ROWS // 10)
        per_batch = (all_shown - timeline.progress[0][0]) / max(1, ROWS // BATCH - 1)
        result.first_seconds = timeline.exited
        result.totals_seconds = last_line - all_shown
        result.commit_seconds = timeline.summary - last_line
        log(
            f"[{kind}] first import: {timeline.exited:.1f} s, every row shown at {all_shown:.1f} s, "
            f"{per_batch * 1000:.0f} ms per batch; totals refresh {result.totals_seconds:.2f} s, "
            f"commit and job record {result.commit_seconds * 1000:.0f} ms, exit at {timeline.exited:.2f} s"
        )
        settle(Run(number=1, moment="first, to the end", at=timeline.exited, rows_seen=timeline.done()), completed=True)

        # 2. The kills.
        number = 1
        for k, moment in [(k, m) for k in range(KILLS) for m in MOMENTS]:
            number += 1
            run = Run(number=number, moment=moment)
            child = Import(database.environ, path, ROWS)
            line = child.timeline
            if moment == "early":
                delay = within(0, tenth, k)
                run.target = f"at {delay:.2f} s"
                time.sleep(delay)
            elif moment == "mid-insert":
                point = round(within(0.4, 0.6, k) * ROWS)
                extra = rng.uniform(0, per_batch)
                run.target = f"{point / ROWS:.0%} of the rows + {extra * 1000:.0f} ms"
                line.wait_for(lambda point=point, line=line: line.done() >= point)
                time.sleep(extra)
            elif moment == "totals refresh":
                extra = within(0, result.totals_seconds, k)
                run.target = f"every row shown + {extra * 1000:.0f} ms"
                line.wait_for(lambda line=line: len(line.every_row_shown()) >= 1)
                time.sleep(extra)
            else:
                extra = within(0, result.commit_seconds, k)
                run.target = f"last progress line + {extra * 1000:.1f} ms"
                line.wait_for(lambda line=line: len(line.every_row_shown()) >= 2)
                time.sleep(extra)
            run.at, run.rows_seen, run.killed = child.kill()
            settle(run, completed=False)

        # 3. The last import, to the end.
        last = Import(database.environ, path, ROWS)
        code = last.finish()
        if code != 0:
            raise RuntimeError(f"[{kind}] the last import failed: {last.stderr()}")
        assert last.timeline.exited is not None
        settle(
            Run(number=number + 1, moment="last, to the end", at=last.timeline.exited, rows_seen=last.timeline.done()),
            completed=True,
        )
        result.load = f"{before} → {load_average()}"
    return result


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    seed = int(os.environ.get("BENCH_IMPORT_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    with tempfile.TemporaryDirectory(prefix="coalition-import-crash-") as tmp:
        path = Path(tmp) / "casualties.csv"
        log(f"writing {ROWS:,} rows of CSV…")
        write_file(path, hxl=False, rows=ROWS)
        results = [_run_database(kind, path, seed) for kind in databases]
    summary: list[tuple[str, list[str]]] = [
        ("first import, start to exit", [f"{r.first_seconds:.1f} s" for r in results]),
        (
            "of which: totals refresh (every row shown → last progress line)",
            [f"{r.totals_seconds:.2f} s" for r in results],
        ),
        (
            "of which: commit and job record (last progress line → summary line)",
            [f"{r.commit_seconds * 1000:.0f} ms" for r in results],
        ),
        (
            "runs killed (SIGKILL) / ran to the end",
            [f"{sum(x.killed for x in r.runs)} / {sum(not x.killed for x in r.runs)}" for r in results],
        ),
        (
            "killed runs that kept none / all of their rows",
            [
                f"{sum(x.killed and x.outcome == 'none' for x in r.runs)} / "
                f"{sum(x.killed and x.outcome == 'all' for x in r.runs)}"
                for r in results
            ],
        ),
        (
            "**runs that kept part of the file** (must be 0)",
            [f"**{sum('PARTIAL' in x.outcome for x in r.runs)}**" for r in results],
        ),
        ("casualty rows at the end", [f"{r.runs[-1].after:,}" for r in results]),
        ("`CasualtyTotal` rows at the end", [f"{r.runs[-1].totals:,}" for r in results]),
        ("kill schedule seed", [str(r.seed) for r in results]),
        ("load average before → after (1, 5, 15 min; 2 shared cores)", [r.load for r in results]),
        ("**every check held after every run**", [f"**{'yes' if not r.problems else 'no'}**" for r in results]),
    ]
    runs = [
        "| database | run | moment | kill planned | at | rows shown | session gone after | casualties before → after | "
        "kept | job record after | totals (wrong) | integrity_check |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for x in r.runs:
            runs.append(
                f"| {r.database} | {x.number} | {x.moment} | {x.target or '—'} | "
                f"{x.at:.2f} s{'' if x.killed or x.number == 1 or x is r.runs[-1] else ' (had exited)'} | "
                f"{x.rows_seen:,} | {f'{x.waited:.2f} s' if r.database == 'postgresql' else 'n/a'} | "
                f"{x.before:,} → {x.after:,} | {x.outcome} | {x.job} | "
                f"{x.totals:,} ({x.totals_wrong}) | {x.integrity or 'n/a'} |"
            )
    problems = [f"- {r.database}: {p}" for r in results for p in r.problems]
    notes = "\n\nProblems found:\n" + "\n".join(problems) if problems else ""
    header = (
        "## import-crash\n\n"
        f"One CSV file of {ROWS:,} casualty rows (`bench/bench_research_import.py`'s generator), imported into the "
        "same database by `manage.py import_casualties FILE --approve -v1` as a child process, again and again: "
        f"a first import to the end (its timeline places the kills), then {KILLS} runs killed with SIGKILL at each "
        "of four moments, the k-th kill at a point drawn at random in the k-th equal part of the moment's window "
        "— *early* (a random time between the start and the moment the first import had reached "
        "10 % of the rows: start-up, the row count, the first batches read, checked and inserted), *mid-insert* "
        "(once the progress passes a random 40–60 % of the rows, plus a random part of one batch), and near the "
        "commit: *totals refresh* (after the progress shows every row, a random part of the time the first import "
        "then spent refreshing `CasualtyTotal` before its last progress line, printed just before it leaves its "
        "transaction) and *commit* (after that last progress line, a random part of the time the first import took "
        "from there to its summary line: the commit, which keeps the job record's `done` with the rows) — and a "
        "last import to the end. After every run a new process reads the database (on PostgreSQL once the killed "
        "import's session has gone: its server process finishes the statement it was running, and a COMMIT "
        "already sent still commits): the casualty count must be the count before the run or that plus the whole "
        "file, the rows of every import job none or all, a job that kept nothing must not say `done` (and one that "
        "kept its rows must say so), `CasualtyTotal` must equal a GROUP BY of the approved records, and SQLite's "
        "`PRAGMA integrity_check` must be `ok`. SQLite in WAL with `synchronous=NORMAL`, PostgreSQL with the "
        "server's defaults. A SIGKILL tests a crash of the import process, not a power cut.\n\n"
    )
    return header + by_database([r.database for r in results], summary) + "\n\nEvery run:\n\n" + "\n".join(runs) + notes
