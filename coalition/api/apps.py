from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned open-data API: one router that each app's `api/` views register on."""

    name = "coalition.api"
    label = "api"
    verbose_name = _("API")
