"""research-import: `import_casualties` of 1,000,000 rows (CSV and HXL, checks on) against a raw insert of the
same parsed rows into the same table (executemany on SQLite, COPY on PostgreSQL), with the import's peak memory."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.databases import prepared
from bench.harness import PYTHON, ROOT, Comparison, interleave, log

ID = "research-import"
ROWS = int(os.environ.get("BENCH_RESEARCH_ROWS", "1000000"))
# (state, latitude range, longitude range): rows fall inside their state, as good data would.
STATES = [
    ("LAO", (14.0, 22.0), (100.5, 107.0)),
    ("VNM", (9.0, 22.0), (103.0, 109.0)),
    ("SYR", (33.0, 37.0), (36.0, 42.0)),
    ("IRQ", (30.0, 37.0), (39.5, 48.0)),
    ("UKR", (45.0, 52.0), (23.0, 40.0)),
]
HEADER = "state,date,place,latitude,longitude,killed,injured,civilian_status,sex,age_group,source"
TAGS = (
    "#country+code,#date+occurred,#loc+name,#geo+lat,#geo+lon,#affected+killed,#affected+injured,"
    "#affected+type,#affected+sex,#affected+age,#meta+source"
)


def write_file(path: Path, *, hxl: bool) -> None:
    rng = random.Random(2008)  # noqa: S311  synthetic data
    with path.open("w") as handle:
        handle.write(HEADER + "\n")
        if hxl:
            handle.write(TAGS + "\n")
        for n in range(ROWS):
            killed = rng.random() < 0.4
            state, lats, lons = rng.choice(STATES)
            handle.write(
                f"{state},{1970 + n % 54}-{1 + n % 12:02d}-{1 + n % 28:02d},Demo place {n % 5000},"
                f"{rng.uniform(*lats):.4f},{rng.uniform(*lons):.4f},{int(killed)},{int(not killed)},"
                f"civilian,{rng.choice(['male', 'female', 'unknown'])},{rng.choice(['child', 'adult'])},Bench data\n"
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
    lines = stdout.strip().splitlines()
    # The floor script prints the time of the insert alone; other commands are timed whole.
    seconds = float(lines[-1]) if args[0].endswith("research_floor.py") and lines else elapsed
    return seconds, usage.ru_maxrss / 1024


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    memory: list[str] = []
    with tempfile.TemporaryDirectory(prefix="coalition-research-bench-") as tmp:
        files = {"CSV": Path(tmp) / "casualties.csv", "HXL": Path(tmp) / "casualties.hxl.csv"}
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
                        elapsed, _peak = _run(environ, floor, "insert", str(path))
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
    header = (
        f"## research-import\n\n{ROWS:,} casualty rows per run, checks on, one transaction, as approved records "
        "(totals "
        "refreshed). A is the whole `manage.py import_casualties` process (start-up, reading, checking, inserting); B "
        "times only the insert of rows parsed beforehand. Higher is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    memory_table = (
        "\n\nPeak resident memory of the import process (whole process, Python and Django included):\n\n"
        "| run | peak (max) | peak (median) | goal |\n| --- | --- | --- | --- |\n" + "\n".join(memory)
    )
    return header + "\n".join(rows) + memory_table
