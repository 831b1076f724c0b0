"""SQLite's own check of its file, read in `manage.py shell` after a benchmark has killed or restored something
(`from bench.integrity import sqlite_integrity` in the benchmarks' check scripts)."""

from __future__ import annotations


def sqlite_integrity() -> str:
    """`PRAGMA integrity_check` ("ok" for a sound file, else what is wrong); "" on PostgreSQL, which has no such
    pragma."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in cursor.fetchall())
