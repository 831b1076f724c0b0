"""Session rules every request passes through: staff sessions that end when left idle, and two factors.

Both sit after django-otp's OTPMiddleware (which tells whether the session gave a code). Neither touches the
session of an anonymous visitor, so public pages cost no database write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.two_factor import Step, pending_step, two_factor_required

LAST_SEEN_SESSION_KEY = "accounts_last_seen"
# The session's last request is written at most this often, so a busy staff page is not a write per request.
_LAST_SEEN_RESOLUTION_SECONDS = 60


def _may_be_logged_in(request: HttpRequest) -> bool:
    """Without a session cookie nobody is logged in: public pages skip loading the user at all."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_staff_session(user: Any) -> bool:
    """Sessions that reach staff tools or personal data: they end when left idle."""
    return user.is_authenticated and (user.is_staff or two_factor_required(user))


class StaffSessionIdleMiddleware:
    """Log staff out after STAFF_SESSION_IDLE_MINUTES without a request; supporters keep their sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if _may_be_logged_in(request) and is_staff_session(user):
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were logged out after a while without activity. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if not isinstance(last_seen, int) or now - last_seen >= _LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


# What a session that still owes a step may reach: that step's own page, logging out, and switching language.
# Static files never get here (WhiteNoise answers them first).
_ALLOWED_WHILE_PENDING = {
    Step.VERIFY: {"two_factor_verify", "logout", "admin:logout", "set_language", "javascript-catalog"},
    Step.ENROL: {"two_factor_enrol", "logout", "admin:logout", "set_language", "javascript-catalog"},
}
_STEP_URL_NAME = {Step.VERIFY: "two_factor_verify", Step.ENROL: "two_factor_enrol"}


class TwoFactorMiddleware:
    """Until the session has given its code (accounts with an authenticator app), or its owner has set one up
    (accounts that must use two factors), every page, the admin and the API redirect to that step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not _may_be_logged_in(request):
            return None
        step = pending_step(request)
        if step is Step.NONE:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _ALLOWED_WHILE_PENDING[step]:
            return None
        target = reverse(_STEP_URL_NAME[step])
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
