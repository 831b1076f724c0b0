"""Baselines of the research benchmarks, run in a fresh process against the benchmark's database.

python bench/research_floor.py insert FILE   raw executemany (PostgreSQL: COPY) of FILE's parsed rows (seconds)
python bench/research_floor.py summary N     the summary's aggregate SQL through a raw cursor, N times (seconds)
python bench/research_floor.py clean         deletes every casualty record and total (between import runs)
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.research_rows import approved_columns  # noqa: E402
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, CasualtyTotal, Source  # noqa: E402

SUMMARY_SQL = (
    "SELECT state_id, year, SUM(killed), SUM(injured), COUNT(*) FROM research_casualty "
    "WHERE status = 'approved' GROUP BY state_id, year ORDER BY state_id, year"
)


def insert(path: str) -> None:
    """Parse outside the clock (as plain tuples, no checks), then time only the insert and the commit."""
    fields = [f for f in Casualty._meta.concrete_fields if not f.primary_key]
    source_id = Source.objects.get_or_create(title="bench floor")[0].pk
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        index = {name: i for i, name in enumerate(header)}
        rows = []
        for cells in reader:
            if cells[0].startswith("#"):
                continue  # the HXL tag row
            values = {
                **approved_columns(now),
                "state_id": cells[index["state"]],
                "place_name": cells[index["place"]],
                "admin_area": "",
                "latitude": float(cells[index["latitude"]]),
                "longitude": float(cells[index["longitude"]]),
                "location_precision": "approximate",
                "date": cells[index["date"]],
                "date_end": None,
                "source_id": source_id,
                "killed": int(cells[index["killed"]]),
                "injured": int(cells[index["injured"]]),
                **{name: int(cells[index[name]]) if name in index else 0 for name in BREAKDOWN_FIELDS},
                "activity": "",
                "phase": "unknown",
                "strike_id": None,
                "external_id": "",
                "name": "",
                "address": "",
                "year": int(cells[index["date"]][:4]),
                "import_job_id": None,
            }
            rows.append(tuple(values[f.attname] for f in fields))
    table = connection.ops.quote_name(Casualty._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
    print(f"{time.perf_counter() - started:.4f}")


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
    if command == "insert":
        insert(sys.argv[2])
    elif command == "summary":
        summary(int(sys.argv[2]))
    else:
        clean()
