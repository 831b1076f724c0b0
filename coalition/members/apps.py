from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """The coalition registry: member organisations, applications to join, and individual supporters."""

    name = "coalition.members"
    label = "members"
    verbose_name = _("Members")
