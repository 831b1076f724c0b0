from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned open-data API: one list of routes (`router.py`) naming each app's `api/` viewsets."""

    name = "coalition.api"
    label = "api"
    verbose_name = _("API")
