"""System checks that catch a deployment configured for a laptop."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    if settings.EMAIL_BACKEND == "coalition.core.mail.OutboxBackend":
        warnings.append(
            Warning(
                "No SMTP server is configured: e-mail is kept in the outbox and never leaves this server.",
                hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=True",
                id="coalition.W001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not settings.DEBUG:
        warnings.append(
            Warning(
                "The database is SQLite: fine for one machine, but several web or worker machines need PostgreSQL.",
                hint="Set DATABASE_URL=postgres://user@host:5432/coalition",
                id="coalition.W002",
            )
        )
    return warnings
