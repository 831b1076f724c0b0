from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who log in (staff, editors, researchers, supporters) and the roles they hold."""

    default = True  # this module also holds the admin's AppConfig (below)
    name = "coalition.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from coalition.accounts.roles import grant_role_permissions

        # After every migrate, because permissions of new models only exist once post_migrate ran.
        post_migrate.connect(grant_role_permissions, dispatch_uid="coalition.accounts.grant_role_permissions")
        user_logged_in.connect(_start_idle_clock, dispatch_uid="coalition.accounts.start_idle_clock")


def _start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A new log-in starts the staff idle clock afresh (coalition.accounts.middleware)."""
    from django.utils import timezone

    from coalition.accounts.middleware import LAST_SEEN_SESSION_KEY

    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_SESSION_KEY] = int(timezone.now().timestamp())


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (two factors checked, accounts.admin_site), and without django-otp's
    device admins: a device's secret key and unused recovery codes are nobody's to read, not even an
    administrator's. Administrators reset a user's two factors with an action on the users' list."""

    default = False  # named in INSTALLED_APPS by its full path, in place of "django.contrib.admin"
    default_site = "coalition.accounts.admin_site.AdminSite"

    def ready(self) -> None:
        super().ready()
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
