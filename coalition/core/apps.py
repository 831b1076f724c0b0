from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing: outgoing e-mail, the outbox, background workers, health and reference data."""

    name = "coalition.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from coalition.core import checks  # noqa: F401  (registers the system checks)
