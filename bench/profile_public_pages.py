"""Where a public page's time goes when it is rendered (not served from the page cache).

    VAR_DIR=<dir with coalition.sqlite3> python bench/profile_public_pages.py [PATH ...]
    DATABASE_URL=postgres://… python bench/profile_public_pages.py /research/

For each page, in one process through Django's test client with the page cache off: the mean time of a render,
the time its SQL took, and its slowest statements. Run it against the database a benchmark kept
(bench/databases.py) to see which query asks for an index.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ["PAGE_CACHE"] = "false"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.bench_public_pages import PAGES  # noqa: E402

RUNS = 5


def main() -> None:
    client = Client()
    for page in sys.argv[1:] or PAGES:
        client.get(page)  # warm-up
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            for _ in range(RUNS):
                response = client.get(page)
        elapsed = (time.perf_counter() - started) / RUNS * 1000
        sql = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        sql_ms = sum(float(q["time"]) for q in sql) / RUNS * 1000
        print(
            f"{page}: {response.status_code}, {elapsed:.1f} ms per render, SQL {sql_ms:.1f} ms in "
            f"{len(sql) // RUNS} queries"
        )
        for query in sql[:3]:
            print(f"    {float(query['time']) * 1000:.1f} ms  {query['sql'][:200]}")


if __name__ == "__main__":
    main()
