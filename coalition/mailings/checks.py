"""Deploy-time checks of the mailings settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def lease_longer_than_a_send(app_configs: Any, **kwargs: Any) -> list[Warning]:
    timeout = int(settings.EMAIL_TIMEOUT or 30)
    if settings.MAILINGS_LEASE_SECONDS <= 2 * timeout:
        return [
            Warning(
                "MAILINGS_LEASE_SECONDS is not more than twice the SMTP timeout: batches stop early, or a slow "
                "send could be taken over by another worker.",
                hint=f"Set MAILINGS_LEASE_SECONDS above {2 * timeout} (EMAIL_TIMEOUT is {timeout} s).",
                id="mailings.W001",
            )
        ]
    return []


# Providers whose anymail tracking webhook is authenticated by the shared secret alone (HTTP basic auth);
# the others need a signing key of their own that this project does not configure.
WEBHOOK_PROVIDERS = frozenset({"amazon_ses", "brevo", "mailjet", "postmark", "sendgrid", "sparkpost"})


@register()
def webhook_provider_known_and_secret_set(app_configs: Any, **kwargs: Any) -> list[Error]:
    provider = settings.MAILINGS_WEBHOOK_PROVIDER
    if not provider:
        return []
    if provider not in WEBHOOK_PROVIDERS:
        return [
            Error(
                f"MAILINGS_WEBHOOK_PROVIDER: {provider!r} is not one of {', '.join(sorted(WEBHOOK_PROVIDERS))}.",
                id="mailings.E001",
            )
        ]
    if ":" not in (settings.ANYMAIL.get("WEBHOOK_SECRET") or ""):
        return [
            Error(
                "MAILINGS_WEBHOOK_PROVIDER is set but MAILINGS_WEBHOOK_SECRET is not a 'user:password' pair: "
                "anyone could post bounces and complaints.",
                id="mailings.E002",
            )
        ]
    return []
