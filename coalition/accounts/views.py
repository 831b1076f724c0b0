"""Two-factor authentication pages: the code step of logging in, enrolment, recovery codes, turning it off."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from coalition.accounts import services
from coalition.accounts.forms import CodeForm, EnrolmentForm, TurnOffForm
from coalition.accounts.two_factor import has_two_factor, recovery_codes_left, two_factor_required

_ENROL_KEY_SESSION_KEY = "accounts_totp_enrol_key"
_NEW_CODES_SESSION_KEY = "accounts_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once done: the `next` the log-in carried, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in, for accounts with an authenticator app."""
    user: Any = request.user
    if user.is_verified() or not has_two_factor(user):
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        assert form.device is not None
        otp_login(request, form.device)
        # The session now carries more trust than it did: give it a new key.
        request.session.cycle_key()
        if isinstance(form.device, StaticDevice):
            left = recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code; %(count)d is left.",
                    "You used a recovery code; %(count)d are left.",
                    left,
                )
                % {"count": left},
            )
        return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_data_uri(uri: str) -> str:
    """The otpauth:// address as an SVG picture in a data: URI (the CSP allows data: images, no inline code)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff"))


def _grouped_secret(key_hex: str) -> str:
    """The secret in base32, in groups of four, for people who type it into their app instead of scanning."""
    secret = base64.b32encode(binascii.unhexlify(key_hex)).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the secret), then type the code it shows."""
    user: Any = request.user
    if has_two_factor(user):
        return redirect("two_factor")
    key = request.session.get(_ENROL_KEY_SESSION_KEY)
    if not isinstance(key, str):
        # The secret stays in the session until the app proves it holds it; nothing is saved before.
        key = default_key()
        request.session[_ENROL_KEY_SESSION_KEY] = key
    form = EnrolmentForm(request.POST or None, key=key)
    if request.method == "POST" and form.is_valid():
        assert form.time_step is not None
        device, codes = services.two_factor_enrol(user=user, key=key, time_step=form.time_step)
        del request.session[_ENROL_KEY_SESSION_KEY]
        otp_login(request, device)
        request.session.cycle_key()
        request.session[_NEW_CODES_SESSION_KEY] = codes
        messages.success(request, _("Two-factor authentication is on."))
        return HttpResponseRedirect(_with_next("two_factor_recovery_codes", request))
    unsaved = TOTPDevice(user=user, key=key)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": _qr_data_uri(unsaved.config_url),
            "secret": _grouped_secret(key),
            "required": two_factor_required(user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once: they are taken out of the session as the page is drawn."""
    codes = request.session.pop(_NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor")
    return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@login_required
def status(request: HttpRequest) -> HttpResponse:
    """Whether two factors are on, how many recovery codes are left, and the buttons to change that."""
    user: Any = request.user
    enabled = has_two_factor(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": enabled,
            "required": two_factor_required(user),
            "codes_left": recovery_codes_left(user) if enabled else 0,
        },
    )


@require_POST
@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if not has_two_factor(request.user):
        return redirect("two_factor")
    request.session[_NEW_CODES_SESSION_KEY] = services.recovery_codes_renew(user=request.user)
    return redirect("two_factor_recovery_codes")


@never_cache
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    """Optional accounts may turn two factors off (with their password); required ones may not."""
    user: Any = request.user
    if not has_two_factor(user):
        return redirect("two_factor")
    if two_factor_required(user):
        messages.error(request, _("Your account must use two-factor authentication; it cannot be turned off."))
        return redirect("two_factor")
    form = TurnOffForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        services.two_factor_remove(user=user, by=user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("two_factor")
    return render(request, "accounts/two_factor_turn_off.html", {"form": form})
