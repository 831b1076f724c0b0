from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who log in (staff, editors, researchers, supporters) and the roles they hold."""

    name = "coalition.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from coalition.accounts.roles import grant_role_permissions

        # After every migrate, because permissions of new models only exist once post_migrate ran.
        post_migrate.connect(grant_role_permissions, dispatch_uid="coalition.accounts.grant_role_permissions")
