"""research-summary: `/api/v1/research/casualties/summary/` and `/research/` over 1,000,000 approved records, against
the same aggregate SQL run through a raw cursor over the casualty table."""

from __future__ import annotations

import os
import statistics
import subprocess

from bench.databases import prepared
from bench.harness import PYTHON, ROOT, Comparison, gunicorn, interleave, log, manage, wrk

ID = "research-summary"
RECORDS = int(os.environ.get("BENCH_RESEARCH_ROWS", "1000000"))


def _raw_sql_ms(environ: dict[str, str], times: int = 5) -> float:
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "research_floor.py"), "summary", str(times)],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return statistics.median(float(line) for line in output.split()) * 1000


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    description = ""
    for kind in databases:
        with prepared(kind) as database:
            log(f"[{kind}] generating {RECORDS:,} approved casualty records…")
            manage(
                database.environ,
                "generate_demo_data",
                "--organisations=10",
                "--supporters=0",
                f"--casualties={RECORDS}",
                "--strikes=100000",
                "-v0",
            )
            with gunicorn(database.environ) as server:
                description = server.description
                for label, path in (
                    ("summary API", "/api/v1/research/casualties/summary/"),
                    ("/research/", "/research/"),
                ):
                    # One connection, sequential requests: the mean time of one request, comparable to one SQL run.
                    comparison: Comparison = interleave(
                        f"{label} ({kind})",
                        path,
                        "aggregate SQL, raw cursor",
                        lambda path=path: (
                            1000 / wrk(f"{server.url}{path}", seconds=seconds, connections=1, threads=1).requests_per_s
                        ),
                        lambda: _raw_sql_ms(database.environ),
                        pairs=pairs,
                        unit="ms per answer",
                        goal="≤ 2× (A ÷ B)",
                    )
                    rows.append(comparison.row())
    header = (
        f"## research-summary\n\n{RECORDS:,} approved casualty records (and 100,000 strikes for the map). "
        "A: one client "
        f"requesting the page in a loop through {description}, mean time per answer; B: the summary's GROUP BY over "
        "the casualty table through a raw cursor, median of five runs. The pages read pre-aggregated totals "
        "(`CasualtyTotal`), refreshed in the same transaction as each approval or import. Lower is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
