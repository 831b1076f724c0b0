"""Typed readers for settings that come from environment variables."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url


class ConfigError(Exception):
    """A setting from the environment that cannot be used; the message names the variable."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: expected true/false (1/0, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {value!r}") from None


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name (Europe/Zurich, Asia/Vientiane), checked against the zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = os.environ.get(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name}: expected an IANA time zone name such as Europe/Zurich, got {value!r}") from None
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {path!r} ({exc.strerror})") from None
    return None


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/ for this install."""
    configured = env_secret("SECRET_KEY")
    if configured:
        return configured
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Created with owner-only permissions: the key signs sessions and password-reset links.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database(default_sqlite: Path) -> dict[str, Any]:
    """DATABASES['default'] from DATABASE_URL, or a local SQLite file tuned for concurrent use."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        config: dict[str, Any] = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    else:
        try:
            config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        except (ValueError, KeyError) as exc:
            raise ConfigError(
                f"DATABASE_URL: cannot understand {redact_url(url)!r} ({exc}); "
                "expected e.g. postgres://user@host:5432/name or sqlite:///path/to/file.sqlite3"
            ) from None
        if not config.get("NAME"):
            raise ConfigError(f"DATABASE_URL: {redact_url(url)!r} names no database")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        synchronous = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").upper()
        if synchronous not in {"NORMAL", "FULL"}:
            raise ConfigError(f"SQLITE_SYNCHRONOUS: expected NORMAL or FULL, got {synchronous!r}")
        # Persistent connections: opening one (and its PRAGMAs) costs more than a small write.
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {
            # WAL lets readers work while one writer commits; NORMAL drops the per-commit fsync, FULL keeps
            # commits across a power cut (docs/decisions/0003-sqlite-default.md); IMMEDIATE avoids lock upgrades.
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    return config


def email(default_backend: str) -> dict[str, Any]:
    """E-mail settings from EMAIL_URL (smtp://user:password@host:587/?tls=True); the outbox when unset."""
    url = os.environ.get("EMAIL_URL", "").strip()
    if not url:
        return {"EMAIL_BACKEND": default_backend}
    try:
        return dict(dj_email_url.parse(url))
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"EMAIL_URL: cannot understand {redact_url(url)!r} ({exc})") from None


def redact_url(url: str) -> str:
    """The URL with any password replaced, so it can be shown in an error message."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
    return url


def exit_on_config_error(exc: ConfigError) -> None:
    """Stop with the one line that names the variable instead of a traceback."""
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise SystemExit(2)
