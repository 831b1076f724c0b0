from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatesConfig(AppConfig):
    """States and the international process: treaty status from dated events, measures, meetings."""

    name = "coalition.states"
    label = "states"
    verbose_name = _("States and meetings")
