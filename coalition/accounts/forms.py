from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from coalition.accounts import throttle
from coalition.accounts.services import CodeCheck, two_factor_code_check
from coalition.accounts.two_factor import has_two_factor, totp_code_matches
from coalition.core.services import email_send
from coalition.lib.ratelimit import request_is_limited


class RateLimitedLoginMixin(forms.Form):
    """Counts FAILED attempts to log in, per (account, client address) and per client address
    (coalition.accounts.throttle). Once an address is over its limit, the password is not even checked; an
    address that has not been failing can always log in, so nobody can lock the owner out."""

    request: Any

    def clean(self) -> dict[str, Any]:
        if self.request is None:
            return super().clean() or {}
        account = str(self.data.get("username", ""))
        if throttle.login_is_blocked(self.request, account):
            raise forms.ValidationError(
                _("Too many attempts to log in. Please wait a quarter of an hour and try again."), code="rate_limited"
            )
        try:
            cleaned = super().clean() or {}
        except forms.ValidationError:
            # A wrong password (or an unknown or inactive account). A right password refused for another
            # reason (the admin's "staff only") is no guess and does not count.
            if getattr(self, "user_cache", None) is None:
                throttle.login_failure_record(self.request, account)
            raise
        user = self.get_user()  # type: ignore[attr-defined]
        if user is not None and not has_two_factor(user):
            # Logged in for good; with two factors, the counter is cleared only once the code is right.
            throttle.login_failures_clear(self.request, account)
        return cleaned


class LoginForm(RateLimitedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(RateLimitedLoginMixin, AdminAuthenticationForm):
    pass


class CodeForm(forms.Form):
    """The second step of logging in: a code from the authenticator app, or one of the recovery codes.

    Wrong codes count as failed log-ins (coalition.accounts.throttle), and each device also makes its owner
    wait 1, 2, 4… seconds after each wrong code (django-otp), so codes cannot be guessed.
    """

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.device: Device | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("code")
        if not code:
            return cleaned
        account = self.user.email
        if throttle.login_is_blocked(self.request, account):
            raise forms.ValidationError(
                _("Too many attempts to log in. Please wait a quarter of an hour and try again."), code="rate_limited"
            )
        result = two_factor_code_check(user=self.user, code=code)
        if result is CodeCheck.WAIT:
            throttle.login_failure_record(self.request, account)
            raise forms.ValidationError(
                _("Too many wrong codes. Please wait a minute and try again."), code="device_throttled"
            )
        if not isinstance(result, Device):
            throttle.login_failure_record(self.request, account)
            raise forms.ValidationError(_("That code is not right, or it was already used."), code="invalid_code")
        throttle.login_failures_clear(self.request, account)
        self.device = result
        return cleaned


class EnrolmentForm(forms.Form):
    """Proves the authenticator app holds the new secret: the code it shows must match before anything is saved."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key = key
        self.time_step: int | None = None

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        self.time_step = totp_code_matches(key=self.key, code=code)
        if self.time_step is None:
            raise forms.ValidationError(
                _("That code does not match. Check the time on your phone and type the code the app shows now."),
                code="invalid_code",
            )
        return code


class TurnOffForm(forms.Form):
    """Turning two factors off asks for the password again, so a session left open is not enough; wrong
    passwords here count as failed log-ins."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if throttle.login_is_blocked(self.request, self.user.email):
            raise forms.ValidationError(
                _("Too many attempts to log in. Please wait a quarter of an hour and try again."), code="rate_limited"
            )
        if not self.user.check_password(password):
            throttle.login_failure_record(self.request, self.user.email)
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, but the message goes through the e-mail queue like every other.

    Django skips accounts without a usable password; ours include the editors an approval creates
    without one, whose first link lasts a day: after that, "forgot password" is how they get in.
    """

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Send the link, unless this address or this client asked too often: an attacker must not be able
        to flood someone's inbox. The page that follows is the same either way, so it reveals nothing."""
        request: HttpRequest | None = kwargs.get("request")
        if request is not None and request_is_limited(
            request,
            "password-reset",
            self.cleaned_data["email"],
            per_key=settings.PASSWORD_RESET_RATE_PER_EMAIL,
            per_ip=settings.PASSWORD_RESET_RATE_PER_IP,
        ):
            return
        super().save(*args, **kwargs)

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.strip().lower())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        email_send(to=to_email, template="password-reset", context=context)
