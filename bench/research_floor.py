"""Baselines of the research benchmarks, run in a fresh process against the benchmark's database.

python bench/research_floor.py summary N     the summary's aggregate SQL through a raw cursor, N times (seconds)
python bench/research_floor.py clean         deletes every casualty record and total (between import runs)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from coalition.research.models import Casualty, CasualtyTotal  # noqa: E402

SUMMARY_SQL = (
    "SELECT state_id, year, SUM(killed), SUM(injured), COUNT(*) FROM research_casualty "
    "WHERE status = 'approved' GROUP BY state_id, year ORDER BY state_id, year"
)


def summary(times: int) -> None:
    with connection.cursor() as cursor:
        for _ in range(times):
            started = time.perf_counter()
            cursor.execute(SUMMARY_SQL)
            cursor.fetchall()
            print(f"{time.perf_counter() - started:.6f}")


def clean() -> None:
    with transaction.atomic():
        CasualtyTotal.objects.all().delete()
        Casualty.objects.all()._raw_delete(Casualty.objects.db)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "summary":
        summary(int(sys.argv[2]))
    else:
        clean()
