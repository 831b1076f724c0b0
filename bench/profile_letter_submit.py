"""Where the letter POST's time goes, in one process: per-request CPU, SQL statements, and a profile.

    python bench/profile_letter_submit.py                      # SQLite, 300 POSTs, timings and queries
    python bench/profile_letter_submit.py --profile 30         # plus the top 30 functions (cProfile)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/profile_letter_submit.py

The same action as bench_letter_submit (one fixed official), a new writer each time, the Django test
client with bench.settings (DEBUG off, so the cached template loader is on). Not a benchmark: the HTTP
server and the load generator are left out on purpose, to see the application's own cost.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions by cumulative time")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one POST")
    options = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="coalition-profile-")
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", VAR_DIR=var_dir, DEBUG="false")
    os.environ.setdefault("DATABASE_URL", "")
    os.environ.update(LETTERS_SUBMIT_RATE_PER_IP="1000000000/h", LETTERS_SUBMIT_RATE_PER_EMAIL="1000/h")
    if os.environ["DATABASE_URL"]:
        import subprocess

        url = os.environ["DATABASE_URL"]
        name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.bench_letter_submit import LETTER, SETUP

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    exec(SETUP, {})  # noqa: S102  the benchmark's own fixture
    setup_test_environment()  # lets the test client run without DEBUG's query log
    connection.close()

    client = Client(enforce_csrf_checks=True)
    token = "benchbenchbenchbenchbenchbench12"  # noqa: S105
    client.cookies["csrftoken"] = token

    def post(n: int) -> int:
        response = client.post(
            "/act/bench/",
            {
                "csrfmiddlewaretoken": token,
                "name": "Bench Writer",
                "town": "Bergen",
                "agree": "on",
                "delivery": "email",
                "send": "1",
                "email": f"writer-{n}-{time.monotonic_ns()}@example.invalid",
                "body": LETTER,
            },
        )
        return response.status_code

    for n in range(20):  # warm-up: imports, template compilation, connection
        assert post(n) == 302, "the letter POST does not redirect"
    with CaptureQueriesContext(connection) as captured:
        post(-1)
    print(f"SQL statements per POST: {len(captured.captured_queries)}")
    if options.sql:
        for query in captured.captured_queries:
            print("   ", query["sql"][:300])
    reset_queries()

    durations = []
    profiler = cProfile.Profile() if options.profile else None
    for n in range(options.requests):
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        post(1000 + n)
        if profiler:
            profiler.disable()
        durations.append((time.perf_counter() - start) * 1000)
    print(
        f"{options.requests} POSTs: median {statistics.median(durations):.2f} ms, "
        f"p95 {statistics.quantiles(durations, n=20)[18]:.2f} ms per request (wall, one process)"
        + (" under cProfile" if profiler else "")
    )
    start = time.perf_counter()
    for _ in range(options.requests):
        client.get("/bench/ok")
    print(f"bare view: {(time.perf_counter() - start) * 1000 / options.requests:.2f} ms per request")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(options.profile)


if __name__ == "__main__":
    main()
