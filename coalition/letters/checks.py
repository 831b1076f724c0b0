"""System checks of the letters settings: values that would break the exactly-once delivery or the limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from coalition.lib.ratelimit import parse_rate


@register()
def check_letters_settings(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    if settings.LETTERS_SEND_LEASE_SECONDS <= int(settings.EMAIL_TIMEOUT or 0):
        # A worker still waiting for a slow server could see another worker take the message over.
        problems.append(
            Warning(
                "LETTERS_SEND_LEASE_SECONDS is not longer than the SMTP timeout: a slow send could be repeated.",
                hint=f"Set LETTERS_SEND_LEASE_SECONDS above EMAIL_TIMEOUT ({settings.EMAIL_TIMEOUT} s).",
                id="letters.W001",
            )
        )
    for name in ("LETTERS_SUBMIT_RATE_PER_IP", "LETTERS_SUBMIT_RATE_PER_EMAIL"):
        try:
            parse_rate(getattr(settings, name))
        except ValueError as exc:
            problems.append(Error(f"{name}: {exc}", hint="e.g. 30/h or 10/15m", id="letters.E001"))
    try:
        [int(value) for value in settings.LETTERS_RETRY_DELAYS_SECONDS]
    except ValueError:
        problems.append(
            Error(
                "LETTERS_RETRY_DELAYS_SECONDS must be whole numbers of seconds.",
                hint="e.g. 60,300,1800,7200,21600",
                id="letters.E002",
            )
        )
    if settings.LETTERS_DAILY_CAP_PER_OFFICIAL < 1:
        problems.append(Error("LETTERS_DAILY_CAP_PER_OFFICIAL must be at least 1.", id="letters.E003"))
    return problems
