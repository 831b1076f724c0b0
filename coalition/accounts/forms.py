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

from coalition.core.services import email_send
from coalition.lib.ratelimit import request_is_limited


class RateLimitedLoginMixin(forms.Form):
    """Counts every attempt to log in, per address and per client; over the limit, the password is not even
    checked, so guessing one account's password (or many accounts' from one machine) stops quickly."""

    request: Any

    def clean(self) -> dict[str, Any]:
        if self.request is not None and request_is_limited(
            self.request,
            "login",
            str(self.data.get("username", "")),
            per_key=settings.LOGIN_RATE_PER_EMAIL,
            per_ip=settings.LOGIN_RATE_PER_IP,
        ):
            raise forms.ValidationError(
                _("Too many attempts to log in. Please wait a quarter of an hour and try again."), code="rate_limited"
            )
        return super().clean() or {}


class LoginForm(RateLimitedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(RateLimitedLoginMixin, AdminAuthenticationForm):
    pass


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
