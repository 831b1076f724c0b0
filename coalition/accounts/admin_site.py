"""The administration site: Django's, except that a session still owing its second factor is not let in.

The middleware already sends such a session to the code step; the site checks the same rule itself so the
admin can never be a way around two factors, whatever the middleware order (coalition.accounts.two_factor).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from coalition.accounts.two_factor import Step, pending_step


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and pending_step(request) is Step.NONE
