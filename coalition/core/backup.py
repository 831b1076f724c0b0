"""Backups of the whole installation (database and uploaded files) into one archive, and restores.

SQLite is copied with the online backup API in one step, from one snapshot, so the site keeps serving
and writing during the copy (WAL: a reader does not block the writer); PostgreSQL with pg_dump. The
archive carries a manifest with the row count of every table, read in the snapshot that was copied,
which a restore checks after loading (docs/decisions/0009-backups-under-load.md).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT_VERSION = 1
# Manifests that say so hold the copy's exact counts; older PostgreSQL ones were read before pg_dump, at most.
EXACT = "exact"
Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and nothing was changed."""


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _is_sqlite() -> bool:
    return bool(_database()["ENGINE"].endswith("sqlite3"))


def _pg_environment(config: dict[str, Any]) -> dict[str, str]:
    import os

    environ = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            environ[variable] = str(config[key])
    return environ


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools; nothing was changed")
    return path


def table_counts(db: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Rows in every table of the project's models, as the database (or the transaction of `db`) sees them now."""
    db = db or connection
    counts = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")  # noqa: S608  names from introspection
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    # closing(): sqlite3's own context manager only commits; a connection left to the garbage collector closes
    # later, removing its -shm file while the archive is being written.
    with closing(sqlite3.connect(path)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)
            if not table.startswith("sqlite_")
        }


def _check_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"the database copy fails SQLite's integrity check: {result}")


def _copy_sqlite(source_path: str, copy: Path) -> None:
    """Copy the live database from one snapshot, while other connections go on writing.

    One step, not many: SQLite restarts a stepped backup whenever another connection writes to the source
    between two steps, so under a steady write load a stepped copy never ends. One step holds a read
    transaction for the whole copy, which in WAL mode does not block writers.
    """
    source = sqlite3.connect(source_path, timeout=20)
    target = sqlite3.connect(copy)
    try:
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


def _dump_postgresql(config: dict[str, Any], dump: Path) -> dict[str, int]:
    """pg_dump the database and count its tables in the same snapshot, so the manifest describes the dump."""
    pg_dump = _client_tool("pg_dump")
    # A connection of its own: its transaction must start with SET TRANSACTION, whatever the caller's state.
    db = connections.create_connection("default")
    try:
        db.set_autocommit(False)
        with db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        counts = table_counts(db)
        # The snapshot stays valid while this transaction is open, so pg_dump sees exactly what was counted.
        subprocess.run(  # noqa: S603
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                config["NAME"],
            ],
            env=_pg_environment(config),
            check=True,
            capture_output=True,
        )
        db.rollback()
    finally:
        db.close()
    return counts


def backup_create(*, output: Path | None = None, log: Log = lambda message: None) -> Path:
    """Write `coalition-backup-<time>.tar.gz` (database, uploaded files, manifest) and return its path."""
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    output = output or Path(settings.VAR_DIR) / "backups" / f"coalition-backup-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if _is_sqlite():
            copy = work / "database.sqlite3"
            log("Copying the SQLite database with the online backup API…")
            _copy_sqlite(_database()["NAME"], copy)
            _check_sqlite(copy)
            counts = _sqlite_counts(copy)
            engine = "sqlite"
        else:
            config = _database()
            log(f"Dumping PostgreSQL database {config['NAME']} with pg_dump…")
            counts = _dump_postgresql(config, work / "database.pgdump")
            engine = "postgresql"
        media = Path(settings.MEDIA_ROOT)
        manifest = {
            "format": FORMAT_VERSION,
            "created": stamp,
            "engine": engine,
            "tables": counts,
            "counts": EXACT,
            "media": media.is_dir(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        log("Writing the archive…")
        # gzip's own default level: tarfile's 9 takes about twice the CPU for an archive a few per cent smaller.
        with tarfile.open(output, "w:gz", compresslevel=6) as archive:
            for item in sorted(work.iterdir()):
                archive.add(item, arcname=item.name)
            if media.is_dir():
                archive.add(media, arcname="media")
    log(f"Backup written to {output} ({sum(counts.values()):,} rows in {len(counts)} tables).")
    return output


def backup_restore(*, archive_path: Path, log: Log = lambda message: None) -> dict[str, int]:
    """Replace the database and uploaded files with those of a backup; returns the restored row counts."""
    if not archive_path.is_file():
        raise BackupError(f"no backup at {archive_path}; nothing was changed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        manifest_path = work / "manifest.json"
        if not manifest_path.exists():
            raise BackupError(f"{archive_path} is not a Coalition backup (no manifest.json); nothing was changed")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                f"backup format {manifest.get('format')} is not supported (expected {FORMAT_VERSION}); "
                "nothing was changed"
            )
        engine = "sqlite" if _is_sqlite() else "postgresql"
        if manifest["engine"] != engine:
            raise BackupError(
                f"this backup holds a {manifest['engine']} database; this installation uses {engine}; "
                "nothing was changed"
            )
        if engine == "sqlite":
            copy = work / "database.sqlite3"
            _check_sqlite(copy)
            log("Restoring the SQLite database…")
            connection.close()
            source = sqlite3.connect(copy)
            target = sqlite3.connect(_database()["NAME"])
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            config = _database()
            log(f"Restoring PostgreSQL database {config['NAME']} with pg_restore…")
            connection.close()
            subprocess.run(  # noqa: S603
                [
                    _client_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={config['NAME']}",
                    str(work / "database.pgdump"),
                ],
                env=_pg_environment(config),
                check=True,
                capture_output=True,
            )
        if manifest.get("media") and (work / "media").is_dir():
            media = Path(settings.MEDIA_ROOT)
            log("Restoring uploaded files…")
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    restored = table_counts()
    if manifest.get("counts") == EXACT:
        wrong = {
            table: f"{count} in the backup, {restored.get(table, 0)} restored"
            for table, count in manifest["tables"].items()
            if restored.get(table, 0) != count
        }
        if wrong:
            raise BackupError(f"the restore finished but these tables do not have the backup's rows: {wrong}")
    else:
        short = {table: count for table, count in manifest["tables"].items() if restored.get(table, 0) < count}
        if short:
            raise BackupError(f"the restore finished but these tables have fewer rows than the backup: {short}")
    log(f"Restored {sum(restored.values()):,} rows in {len(restored)} tables from {archive_path}.")
    return restored
