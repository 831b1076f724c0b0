"""Settings from the environment: safe defaults, and one clear line for a value that cannot be used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coalition.lib import env

ROOT = Path(__file__).resolve().parents[3]


def test_without_database_url_the_database_is_a_tuned_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = env.database(tmp_path / "var" / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5
    assert (tmp_path / "var").is_dir()


def test_a_postgres_url_is_understood(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://campaign:secret@db.internal:5433/coalition")

    config = env.database(tmp_path / "unused.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        5433,
        "coalition",
        "campaign",
    )


@pytest.mark.parametrize("url", ["mongodb://localhost/x", "postgres://localhost:5432"])
def test_an_unusable_database_url_names_the_variable_without_the_password(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(env.ConfigError, match="^DATABASE_URL: "):
        env.database(tmp_path / "unused.sqlite3")


def test_passwords_are_hidden_in_messages():
    assert env.redact_url("postgres://u:hunter2@h/db") == "postgres://u:***@h/db"


def test_the_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)

    first = env.secret_key(tmp_path)
    second = env.secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_secret_key_can_come_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("from-a-file\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))

    assert env.secret_key(tmp_path / "var") == "from-a-file"


def test_booleans_accept_the_usual_spellings_and_refuse_others(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env.env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env.env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(env.ConfigError, match="^FLAG: "):
        env.env_bool("FLAG")


def test_the_sites_time_zone_is_an_iana_name_and_a_wrong_one_is_named(monkeypatch):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    assert env.env_time_zone("TIME_ZONE", "UTC") == "UTC"
    monkeypatch.setenv("TIME_ZONE", "Europe/Zurich")
    assert env.env_time_zone("TIME_ZONE", "UTC") == "Europe/Zurich"
    for wrong in ("Geneva", "CEST+2", "../../etc/passwd"):
        monkeypatch.setenv("TIME_ZONE", wrong)
        with pytest.raises(env.ConfigError, match="^TIME_ZONE: expected an IANA time zone name"):
            env.env_time_zone("TIME_ZONE", "UTC")


def test_an_smtp_url_configures_mail_and_no_url_keeps_the_outbox(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mailer:pw@mail.example.org:587/?tls=True")
    config = env.email(default_backend="outbox")
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_USE_TLS"] is True

    monkeypatch.delenv("EMAIL_URL")
    assert env.email(default_backend="outbox") == {"EMAIL_BACKEND": "outbox"}


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_wrong_database_url_stops_manage_py_with_one_line_naming_it():
    result = run_manage("check", DATABASE_URL="nosuchdb://somewhere/x")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr


def test_an_unknown_time_zone_stops_manage_py_with_one_line_naming_it():
    result = run_manage("check", TIME_ZONE="Mars/Base")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "Configuration error: TIME_ZONE: expected an IANA time zone name such as Europe/Zurich, got 'Mars/Base'"
    )


def test_an_unreachable_database_stops_migrate_with_one_line_naming_it(tmp_path):
    result = run_manage("migrate", DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("DATABASE_URL:")


def test_a_site_served_over_https_tells_browsers_to_keep_to_https_for_a_year(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        HTTPS="true",
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-0123456789",
        VAR_DIR=str(tmp_path),
    )

    assert "security.W004" not in result.stdout + result.stderr  # no HSTS
    assert "security.W005" not in result.stdout + result.stderr  # HSTS without subdomains
    assert "security.W008" not in result.stdout + result.stderr  # no redirect to HTTPS
