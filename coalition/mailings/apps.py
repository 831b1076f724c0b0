from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    """Supporter communications: lists, segments, mailings sent exactly once, unsubscribe, bounces, archive."""

    name = "coalition.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self) -> None:
        from coalition.mailings import checks, selectors, signals  # noqa: F401  checks; webhooks (django-anymail)
        from coalition.members.selectors import register_supporter_notes

        register_supporter_notes("mailings", selectors.suppression_notes)
