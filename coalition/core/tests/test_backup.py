"""`manage.py backup` and `restore`: the database and uploaded files come back with the same counts."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def manage(var_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "VAR_DIR": str(var_dir), "DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=check
    )


def users(var_dir: Path) -> list[str]:
    with sqlite3.connect(var_dir / "coalition.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT email FROM accounts_user ORDER BY email")]


# The SQLite tests below share `migrated`: in one xdist worker, it is made once for them all.
ONE_INSTALLATION = pytest.mark.xdist_group("migrated-installation")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """An installation's files after `migrate` and `ensure_admin`, made once per test process (a migrate takes
    seconds; the slow tests run first, in another order than the modules')."""
    var_dir = tmp_path_factory.mktemp("migrated")
    manage(var_dir, "migrate", "-v0")
    manage(var_dir, "ensure_admin")
    return var_dir


@pytest.fixture
def installation(migrated, tmp_path):
    """A copy of the migrated installation for one test, with an uploaded logo."""
    shutil.copytree(migrated, tmp_path, dirs_exist_ok=True)
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "mac.png").write_bytes(b"\x89PNG fake logo")
    return tmp_path


@pytest.mark.slow
@ONE_INSTALLATION
def test_a_backup_restores_the_database_and_uploaded_files(installation):
    result = manage(installation, "backup", "--output", str(installation / "backup.tar.gz"))
    assert "Backup written to" in result.stdout
    with tarfile.open(installation / "backup.tar.gz") as archive:
        assert {"manifest.json", "database.sqlite3", "media/logos/mac.png"} <= set(archive.getnames())

    with sqlite3.connect(installation / "coalition.sqlite3") as db:
        db.execute("DELETE FROM accounts_user")
    (installation / "media" / "logos" / "mac.png").unlink()
    assert users(installation) == []

    result = manage(installation, "restore", str(installation / "backup.tar.gz"), "--yes")

    assert "Restore complete." in result.stdout
    assert users(installation) == ["admin@example.org"]
    assert (installation / "media" / "logos" / "mac.png").read_bytes() == b"\x89PNG fake logo"


@pytest.mark.slow
@ONE_INSTALLATION
def test_restoring_something_that_is_not_a_backup_changes_nothing(installation):
    not_a_backup = installation / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(installation / "media", arcname="media")

    result = manage(installation, "restore", str(not_a_backup), "--yes", check=False)

    assert result.returncode != 0
    assert "is not a Coalition backup" in result.stderr
    assert "nothing was changed" in result.stderr
    assert users(installation) == ["admin@example.org"]


@pytest.mark.slow
@ONE_INSTALLATION
def test_a_sqlite_backup_finishes_while_another_connection_keeps_writing(installation):
    # SQLite restarts a backup copied in steps whenever another connection writes between two steps: under a
    # steady write load a stepped backup never finished. It must copy one snapshot and let the writer go on.
    path = installation / "coalition.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE bench_filler (data BLOB)")  # ~12 MB: several of the old 1,024-page steps
        db.executemany("INSERT INTO bench_filler VALUES (zeroblob(4000))", [()] * 3000)
        db.execute("CREATE TABLE bench_writes (at REAL)")
    stop, written = threading.Event(), []

    def write() -> None:
        writer = sqlite3.connect(path, timeout=20, isolation_level=None)
        writer.execute("PRAGMA synchronous=NORMAL")
        while not stop.is_set():
            writer.execute("INSERT INTO bench_writes VALUES (?)", (time.time(),))
            written.append(1)
            time.sleep(0.001)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        time.sleep(0.2)
        before = len(written)
        environ = {**os.environ, "VAR_DIR": str(installation), "DATABASE_URL": ""}
        result = subprocess.run(
            [sys.executable, "manage.py", "backup", "--output", str(installation / "b.tar.gz")],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
        )
        during = len(written) - before
    finally:
        stop.set()
        thread.join()

    assert result.returncode == 0, result.stderr
    assert during > 100, "the writer was not held up by the backup"
    with tarfile.open(installation / "b.tar.gz") as archive:
        archive.extractall(installation / "out", filter="data")
    manifest = json.loads((installation / "out" / "manifest.json").read_text())
    with sqlite3.connect(installation / "out" / "database.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert manifest["tables"]["bench_filler"] == 3000
        assert manifest["tables"]["bench_writes"] == copy.execute("SELECT COUNT(*) FROM bench_writes").fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_with_the_same_counts(settings, tmp_path):
    from django.db import connection

    from coalition.accounts.tests.factories import UserFactory
    from coalition.core.backup import backup_create, backup_restore, table_counts

    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL points to PostgreSQL (CI's second run)")
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(email="kept@example.org")
    before = table_counts()
    archive = backup_create(output=tmp_path / "pg.tar.gz")
    UserFactory(email="added-after-the-backup@example.org")

    backup_restore(archive_path=archive)

    assert table_counts()["accounts_user"] == before["accounts_user"]


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_manifest_counts_the_snapshot_that_was_dumped(settings, tmp_path, monkeypatch):
    from django.db import connection

    from coalition.accounts.models import User
    from coalition.accounts.tests.factories import UserFactory
    from coalition.core import backup

    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL points to PostgreSQL (CI's second run)")
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(email="kept@example.org")
    users_before = User.objects.count()
    real_run = subprocess.run

    def run_after_a_write(args, **kwargs):
        # The site goes on writing between the counts and pg_dump: the dump must not see it, or the manifest
        # would not describe the dump.
        if "pg_dump" in str(args[0]):
            UserFactory(email="written-during-the-backup@example.org")
        return real_run(args, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", run_after_a_write)
    archive = backup.backup_create(output=tmp_path / "pg.tar.gz")
    monkeypatch.undo()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["accounts_user"] == users_before

    restored = backup.backup_restore(archive_path=archive)

    assert restored["accounts_user"] == users_before
    assert not User.objects.filter(email="written-during-the-backup@example.org").exists()


def test_the_backup_command_lowers_its_cpu_priority_unless_told_not_to(monkeypatch, tmp_path):
    from django.core.management import call_command

    from coalition.core.management.commands import backup as command

    niced: list[int] = []
    monkeypatch.setattr(command.os, "nice", niced.append)
    monkeypatch.setattr(command, "backup_create", lambda **kwargs: tmp_path / "b.tar.gz")

    call_command("backup", stdout=io.StringIO())
    call_command("backup", "--nice", "0", stdout=io.StringIO())

    assert niced == [10]
