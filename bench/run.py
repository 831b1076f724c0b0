"""`make bench`: run the benchmarks side by side and write docs/benchmarks.md.

python bench/run.py                      # every benchmark, SQLite and PostgreSQL
python bench/run.py public-pages --databases sqlite --pairs 5 --seconds 3
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import log, machine, write_section  # noqa: E402

# id → module; each module has ID and run(databases=, pairs=, seconds=, scale=) -> markdown.
BENCHMARKS = {
    "public-pages": "bench.bench_public_pages",
    "action-page": "bench.bench_action_page",
    "ics-feed": "bench.bench_ics_feed",
    "letter-submit": "bench.bench_letter_submit",
    "research-import": "bench.bench_research_import",
    "research-summary": "bench.bench_research_summary",
    "state-brief": "bench.bench_state_brief",
    "submit-durability": "bench.bench_submit_durability",
    "import-crash": "bench.bench_import_crash",
    "backup-under-load": "bench.bench_backup_under_load",
    "mailing": "bench.bench_mailing",
    "api-list": "bench.bench_api_list",
    "surge": "bench.bench_surge",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "ids", nargs="*", choices=[[], *BENCHMARKS], default=[], help="benchmarks to run (default: all)"
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs after the warm-up (at least 5)")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load run")
    parser.add_argument("--scale", choices=["small", "large"], default=None, help="demo data volume to generate")
    options = parser.parse_args()
    databases = [name.strip() for name in options.databases.split(",") if name.strip()]
    for benchmark_id in options.ids or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[benchmark_id])
        log(f"== {benchmark_id}")
        body = module.run(databases=databases, pairs=options.pairs, seconds=options.seconds, scale=options.scale)
        write_section(benchmark_id, f"{body}\n\nMachine: {machine()}.")
        log(f"== {benchmark_id}: written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
