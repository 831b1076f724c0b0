"""Deploy-time checks of the mailings settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


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
