"""Writes of two-factor authentication: enrolling an authenticator app, recovery codes, checking a code.

Devices are django-otp's: one `TOTPDevice` (the app) and one `StaticDevice` whose tokens are the recovery
codes, each deleted when it is used. Recovery codes are shown once, when they are made, and never again.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.two_factor import TOTP_TOLERANCE, normalise_code
from coalition.core.audit import audit_record

RECOVERY_CODES = 10


class CodeCheck(enum.Enum):
    WRONG = "wrong"
    WAIT = "wait"  # the device makes its owner wait after wrong codes (django-otp's exponential back-off)


def _recovery_codes_create(*, user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _number in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enrol(*, user: Any, key: str, time_step: int) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator app the user proved they hold (the code of `time_step` matched `key`), replacing
    any earlier one, and make a fresh set of recovery codes; the codes are returned to be shown once."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name="Authenticator app",
        key=key,
        confirmed=True,
        tolerance=TOTP_TOLERANCE,
        # The code typed to enrol cannot be typed again to log in.
        last_t=time_step,
    )
    return device, _recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """New recovery codes; the old ones stop working."""
    return _recovery_codes_create(user=user)


@transaction.atomic
def two_factor_remove(*, user: Any, by: Any) -> None:
    """Forget the authenticator app and the recovery codes (the user turned two factors off, or an
    administrator reset them for someone who lost both); the audit trail says which."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    action = "user.two_factor_off" if by == user else "user.two_factor_reset"
    audit_record(by=by, action=action, target=user)


def two_factor_code_check(*, user: Any, code: str) -> Device | CodeCheck:
    """The device that accepts `code` (the app's current code, or an unused recovery code, which is then used
    up), or why none did. Devices are locked while checked, so one code cannot be used twice at once."""
    code = normalise_code(code)
    if not code:
        return CodeCheck.WRONG
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            devices: list[Device] = list(TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True))
        else:
            devices = list(StaticDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True))
        for device in devices:
            allowed, _reason = device.verify_is_allowed()
            if not allowed:
                return CodeCheck.WAIT
            if device.verify_token(code):
                return device
    return CodeCheck.WRONG
