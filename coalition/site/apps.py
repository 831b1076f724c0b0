from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The public campaign site: home page and pages that draw on several apps."""

    name = "coalition.site"
    label = "campaign_site"  # "site" would clash with django.contrib.sites
    verbose_name = _("Public site")
