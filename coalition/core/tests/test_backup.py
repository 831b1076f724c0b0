"""`manage.py backup` and `restore`: the database and uploaded files come back with the same counts."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
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


@pytest.fixture
def installation(tmp_path):
    manage(tmp_path, "migrate", "-v0")
    manage(tmp_path, "ensure_admin")
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "mac.png").write_bytes(b"\x89PNG fake logo")
    return tmp_path


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


def test_restoring_something_that_is_not_a_backup_changes_nothing(installation):
    not_a_backup = installation / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(installation / "media", arcname="media")

    result = manage(installation, "restore", str(not_a_backup), "--yes", check=False)

    assert result.returncode != 0
    assert "is not a Coalition backup" in result.stderr
    assert "nothing was changed" in result.stderr
    assert users(installation) == ["admin@example.org"]


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
