from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Meetings with officials and ministers, commitments, follow-ups, and delegations at treaty meetings."""

    name = "coalition.engagement"
    label = "engagement"
    verbose_name = _("Engagement with governments")
