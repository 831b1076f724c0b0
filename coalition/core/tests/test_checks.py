"""`manage.py check --deploy` on a production installation says nothing of the project's own making, and still
warns when a server runs with the laptop defaults (the outbox, SQLite)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Each test starts manage.py in a fresh process.
pytestmark = pytest.mark.slow

# What a production installation sets (README, "Running it on PostgreSQL with several processes"). Nothing is
# contacted: the check reads settings only, so the database and Redis addresses need not answer.
PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    "EMAIL_URL": "smtp://coalition:secret@mail.example.org:587/?tls=True",
    "DATABASE_URL": "postgres://coalition:secret@127.0.0.1:1/coalition",
    "ALLOWED_HOSTS": "campaign.example.org",
    "SITE_URL": "https://campaign.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://campaign.example.org",
    "DEFAULT_FROM_EMAIL": "Campaign <campaign@example.org>",
}


def check_deploy(tmp_path: Path, environment: dict[str, str]) -> tuple[int, set[str], str]:
    """Run the check in a fresh process, so settings.py reads this environment and nothing of the tests'."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "VAR_DIR": str(tmp_path / "var"),
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    return done.returncode, set(re.findall(r"^\?: \(([\w.]+)\)", output, flags=re.MULTILINE)), output


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"SECRET_KEY": secrets.token_urlsafe(50)}, id="one-machine"),
        pytest.param(
            {"SECRET_KEY_FILE": "", "REDIS_URL": "redis://127.0.0.1:1/0", "BEHIND_PROXY": "true"},
            id="behind-a-proxy-with-redis-and-a-key-file",
        ),
    ],
)
def test_a_production_installation_passes_the_deploy_check_without_a_single_warning(tmp_path, extra):
    if "SECRET_KEY_FILE" in extra:
        key_file = tmp_path / "secret_key"
        key_file.write_text(secrets.token_urlsafe(50))
        extra = {**extra, "SECRET_KEY_FILE": str(key_file)}

    returncode, ids, output = check_deploy(tmp_path, {**PRODUCTION, **extra})

    assert ids == set(), output
    assert returncode == 0 and "System check identified no issues" in output, output


def test_a_server_on_the_outbox_and_sqlite_is_still_warned(tmp_path):
    laptop_defaults = {k: v for k, v in PRODUCTION.items() if k not in {"EMAIL_URL", "DATABASE_URL"}}

    returncode, ids, output = check_deploy(tmp_path, {**laptop_defaults, "SECRET_KEY": secrets.token_urlsafe(50)})

    assert returncode == 1
    assert ids == {"coalition.W001", "coalition.W002"}, output


def test_a_production_server_without_https_gets_djangos_warnings(tmp_path):
    """The clean result above is not a check that was switched off: without HTTPS, Django speaks up."""
    returncode, ids, output = check_deploy(
        tmp_path, {**PRODUCTION, "HTTPS": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
    )

    assert returncode == 1
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= ids, output
