from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from coalition.core.mail import may_read_outbox
from coalition.site.selectors import home_sections


def site(request: HttpRequest) -> dict[str, Any]:
    """The campaign's name and treaty (configuration, not code) and the navigation, for every page."""
    return {
        "coalition_name": settings.COALITION_NAME,
        "treaty_name": settings.TREATY_NAME,
        "nav_sections": home_sections(),
        # Called by the template only where the navigation asks (no query on pages that do not).
        "outbox_readable": lambda: may_read_outbox(request.user),
    }
