from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing: outgoing e-mail, the outbox, background workers, health and reference data."""

    name = "coalition.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from coalition.core import checks  # noqa: F401  (registers the system checks)
        from coalition.lib import page_cache

        # Every write through any connection stamps its tables, so kept public pages are rendered again.
        connection_created.connect(page_cache.watch_writes, dispatch_uid="page_cache.watch_writes")
