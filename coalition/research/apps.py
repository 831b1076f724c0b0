from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Field research: strikes, casualties, contaminated areas and reports, from submission to public figures."""

    name = "coalition.research"
    label = "research"
    verbose_name = _("Research")
