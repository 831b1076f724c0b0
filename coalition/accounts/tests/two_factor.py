"""Two-factor helpers for tests: codes computed the way an authenticator app does, and verified sessions."""

from __future__ import annotations

from binascii import unhexlify

from django.contrib.auth import get_user_model
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.two_factor import two_factor_required

_django_force_login = ClientMixin.force_login


def totp_code(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding `key_hex` shows now, computed here (RFC 6238 through
    django_otp.oath.totp); `steps_ahead` 30-second steps later, because a code already used cannot be used
    again, so a second log-in in one test takes the next one."""
    return f"{totp(unhexlify(key_hex), step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they had none (as if they had enrolled)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def force_login_verified(client, user, backend=None, *, otp_verified: bool = True) -> None:
    """`Client.force_login`, then, unless `otp_verified=False`, the session marked verified with the user's
    authenticator (set up if their account requires one), as django-otp's `otp_login` does after a code."""
    _django_force_login(client, user, backend)
    session = client.session
    fresh = get_user_model()._default_manager.get(pk=user.pk)  # permissions as they are now, not cached
    if not otp_verified:
        session.pop(DEVICE_ID_SESSION_KEY, None)
    elif two_factor_required(fresh) or TOTPDevice.objects.filter(user=fresh, confirmed=True).exists():
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(fresh).persistent_id
    session.save()
