"""research-import: `import_casualties` of 1,000,000 rows (CSV and HXL, checks on) against a raw insert of the
same parsed rows into the same table (executemany on SQLite, COPY on PostgreSQL), with the import's peak memory.

Both arms are whole child processes started the same way (same interpreter, settings and environment) and timed
the same way, from start to exit: Django start-up, opening and parsing the file with the csv module, inserting in
batches of 5,000 inside one transaction, committing. The baseline is what a raw import must do at least
(`python bench/bench_research_import.py floor FILE`): it converts the cells to the column types and inserts them,
with no checks, no progress, no job record and no totals refresh.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.databases import prepared
from bench.harness import PYTHON, ROOT, Comparison, interleave, log

ID = "research-import"
ROWS = int(os.environ.get("BENCH_RESEARCH_ROWS", "1000000"))
# CSV, HXL or both (a shorter run when time is short; the section says which ran).
FORMATS = [f.strip() for f in os.environ.get("BENCH_RESEARCH_FORMATS", "CSV,HXL").split(",") if f.strip()]
# (state, latitude range, longitude range): rows fall inside their state, as good data would.
STATES = [
    ("LAO", (14.0, 22.0), (100.5, 107.0)),
    ("VNM", (9.0, 22.0), (103.0, 109.0)),
    ("SYR", (33.0, 37.0), (36.0, 42.0)),
    ("IRQ", (30.0, 37.0), (39.5, 48.0)),
    ("UKR", (45.0, 52.0), (23.0, 40.0)),
]
# One person per row, disaggregated as humanitarian datasets publish it: for killed and for injured, counts by sex,
# age, both, and civilian status (decision 0602); the total and the breakdowns of the other outcome are 0.
GROUPS = ["f", "m", "children", "adults", "f+children", "m+children", "f+adults", "m+adults", "civilians"]
NAMES = dict(
    zip(GROUPS, ["female", "male", "children", "adults", "girls", "boys", "women", "men", "civilians"], strict=True)
)
BREAKDOWNS = [f"{outcome}_{NAMES[group]}" for outcome in ("killed", "injured") for group in GROUPS]
HEADER = "state,date,place,latitude,longitude,killed,injured," + ",".join(BREAKDOWNS) + ",source"
TAGS = (
    "#country+code,#date+occurred,#loc+name,#geo+lat,#geo+lon,#affected+killed,#affected+injured,"
    + ",".join(f"#affected+{outcome}+{group}" for outcome in ("killed", "injured") for group in GROUPS)
    + ",#meta+source"
)


def _person(rng: random.Random, killed: bool) -> str:
    sex = rng.choice(["f", "m", ""])
    age = rng.choice(["children", "adults"])
    groups = {sex, age, f"{sex}+{age}" if sex else "", "civilians" if rng.random() < 0.8 else ""}
    counts = [int(group in groups) for group in GROUPS]
    zeros = [0] * len(GROUPS)
    return ",".join(map(str, counts + zeros if killed else zeros + counts))


def write_file(path: Path, *, hxl: bool, rows: int | None = None) -> None:
    rng = random.Random(2008)  # noqa: S311  synthetic data
    with path.open("w") as handle:
        handle.write(HEADER + "\n")
        if hxl:
            handle.write(TAGS + "\n")
        for n in range(ROWS if rows is None else rows):
            killed = rng.random() < 0.4
            state, lats, lons = rng.choice(STATES)
            handle.write(
                f"{state},{1970 + n % 54}-{1 + n % 12:02d}-{1 + n % 28:02d},Demo place {n % 5000},"
                f"{rng.uniform(*lats):.4f},{rng.uniform(*lons):.4f},{int(killed)},{int(not killed)},"
                f"{_person(rng, killed)},Bench data\n"
            )


def _run(environ: dict[str, str], *args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one child process."""
    started = time.perf_counter()
    # Output goes to files, not pipes: a child blocked on a full pipe would never end.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([PYTHON, *args], env=environ, cwd=ROOT, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = 0
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode()
        if status != 0:
            raise RuntimeError(f"{args} failed: {err.read().decode()[-2000:]}")
    if stdout.strip() and args[0] == __file__:
        assert stdout.split()[-1] == str(ROWS), stdout  # the floor inserted every row
    return elapsed, usage.ru_maxrss / 1024


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    memory: list[str] = []
    with tempfile.TemporaryDirectory(prefix="coalition-research-bench-") as tmp:
        load_before = os.getloadavg()
        files = {"CSV": Path(tmp) / "casualties.csv", "HXL": Path(tmp) / "casualties.hxl.csv"}
        files = {label: path for label, path in files.items() if label in FORMATS}
        for label, path in files.items():
            log(f"writing {ROWS:,} rows of {label}…")
            write_file(path, hxl=label == "HXL")
        for kind in databases:
            with prepared(kind) as database:
                environ = database.environ
                floor = str(ROOT / "bench" / "research_floor.py")
                for label, path in files.items():
                    peaks: list[float] = []

                    def subject(
                        path: Path = path,
                        peaks: list[float] = peaks,
                        environ: dict[str, str] = environ,
                        floor: str = floor,
                    ) -> float:
                        manage = str(ROOT / "manage.py")
                        elapsed, peak = _run(environ, manage, "import_casualties", str(path), "--approve", "-v0")
                        peaks.append(peak)
                        _run(environ, floor, "clean")
                        return ROWS / elapsed

                    def baseline(path: Path = path, environ: dict[str, str] = environ, floor: str = floor) -> float:
                        elapsed, _peak = _run(environ, __file__, "floor", str(path))
                        _run(environ, floor, "clean")
                        return ROWS / elapsed

                    comparison: Comparison = interleave(
                        f"{label} import ({kind})",
                        "import_casualties",
                        "raw COPY" if kind == "postgresql" else "raw executemany",
                        subject,
                        baseline,
                        pairs=pairs,
                        unit="rows/s",
                        goal="≥ 0.5× (A ÷ B)",
                    )
                    rows.append(comparison.row())
                    memory.append(
                        f"| {label} import ({kind}) | {max(peaks):,.0f} MB | {statistics.median(peaks):,.0f} MB "
                        "| < 300 MB |"
                    )
    load_after = os.getloadavg()
    header = (
        f"## research-import\n\n{ROWS:,} casualty rows per run, {pairs} pairs after a warm-up pair, "
        f"{' and '.join(FORMATS)}, each row with its counts broken down as humanitarian datasets publish them "
        f"({len(BREAKDOWNS)} columns: killed and injured × f, m, children, adults, f+children, m+children, "
        "f+adults, m+adults, civilians; decision 0602), checks on, one transaction, as approved records "
        "(totals "
        "refreshed). Both arms are whole processes started and timed the same way, parsing inside the timing for "
        "both: A is `manage.py import_casualties FILE --approve -v0` (Django start-up and system checks, reading, "
        "parsing, checking every row, inserting, totals refresh, commit); B is "
        "`bench/bench_research_import.py floor FILE` (Django start-up, reading and parsing the same file with the "
        "csv module, converting cells to column types, raw executemany in batches of 5,000 (PostgreSQL: COPY) in "
        "one transaction, commit; no checks). Interleaved A B after a warm-up pair. Higher is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    memory_table = (
        "\n\nPeak resident memory of the import process (whole process, Python and Django included):\n\n"
        "| run | peak (max) | peak (median) | goal |\n| --- | --- | --- | --- |\n" + "\n".join(memory)
    )
    load = (
        "\n\nLoad average (1, 5, 15 min; 2 shared cores) before the run: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + "."
    )
    return header + "\n".join(rows) + memory_table + load


def floor(path: str) -> int:
    """The baseline: read and parse the file, then insert its rows raw in batches, one transaction; no checks."""
    import csv

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from coalition.research.models import BREAKDOWN_FIELDS, Casualty, Source

    table = connection.ops.quote_name(Casualty._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    adapt_date = connection.ops.adapt_datefield_value
    postgres = connection.vendor == "postgresql"
    written = 0
    with open(path, newline="") as handle, transaction.atomic(), connection.cursor() as cursor:
        fixed = {
            # Approved, by nobody, now.
            "organisation_id": None,
            "status": "approved",
            "created_by_id": None,
            "assigned_to_id": None,
            "review_comment": "",
            "created_at": now,
            "updated_at": now,
            "submitted_at": now,
            "reviewed_at": now,
            "admin_area": "",
            "location_precision": "approximate",
            "date_end": None,
            "source_id": Source.objects.get_or_create(title="bench floor")[0].pk,
            "activity": "",
            "phase": "unknown",
            "strike_id": None,
            "external_id": "",
            "name": "",
            "address": "",
            "import_job_id": None,
        }
        # The columns read from the file, in this order, then the fixed ones: every concrete column of the table.
        varying = ["state_id", "place_name", "latitude", "longitude", "date", "year", "killed", "injured", *BREAKDOWNS]
        fixed |= {name: 0 for name in BREAKDOWN_FIELDS if name not in BREAKDOWNS}
        by_attname = {f.attname: f.column for f in Casualty._meta.concrete_fields if not f.primary_key}
        columns = [by_attname[name] for name in varying + list(fixed)]
        assert sorted(columns) == sorted(by_attname.values())
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        rest = tuple(fixed.values())
        reader = csv.reader(handle)
        index = {name: i for i, name in enumerate(next(reader))}
        i_state, i_place, i_lat, i_lon, i_date, i_killed, i_injured = (
            index[name] for name in ("state", "place", "latitude", "longitude", "date", "killed", "injured")
        )
        i_counts = [index[name] for name in BREAKDOWNS]
        batch: list[tuple[object, ...]] = []

        def flush() -> None:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, batch)
            batch.clear()

        for cells in reader:
            if cells[0].startswith("#"):
                continue  # the HXL tag row
            day = date.fromisoformat(cells[i_date])
            batch.append(
                (
                    cells[i_state],
                    cells[i_place],
                    float(cells[i_lat]),
                    float(cells[i_lon]),
                    adapt_date(day),
                    day.year,
                    int(cells[i_killed]),
                    int(cells[i_injured]),
                    *[int(cells[i]) for i in i_counts],
                    *rest,
                )
            )
            written += 1
            if len(batch) >= 5000:
                flush()
        if batch:
            flush()
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if sys.argv[1:2] == ["floor"]:
        print(floor(sys.argv[2]))
