from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Public meetings, debates and exhibitions: moderation, RSVPs with a waiting list, reminders, reports."""

    name = "coalition.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from coalition.events import selectors
        from coalition.members.selectors import register_referral_source

        register_referral_source("event_rsvps", _("Event replies"), selectors.referred_rsvps)
