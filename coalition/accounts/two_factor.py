"""Who must use two-factor authentication, and what a session still has to do before it may go anywhere.

The rule is written once, here (`two_factor_required`), and read by the middleware, the admin site, the
account pages and the tests; docs/decisions/0010-two-factor-and-log-in-throttling.md says why it is this one.
"""

from __future__ import annotations

import enum
import time
from binascii import unhexlify
from typing import Any

from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.roles import Role

TOTP_TOLERANCE = 1  # the code before and after the current one are accepted too (clocks drift)

# Permissions that let their holder read the personal data of supporters, writers, attendees or casualties
# across the whole coalition (not only their own organisation's). Any one of them makes a second factor
# compulsory, whichever role or direct grant it comes from, so a new role is covered by what it may do.
PERSONAL_DATA_PERMISSIONS: tuple[str, ...] = (
    "members.view_supporter",
    "members.view_signup",
    "members.view_consentrecord",
    "members.view_membershipapplication",
    "events.view_rsvp",
    "letters.view_letter",
    "letters.view_message",
    "research.view_personal_data",
    "core.view_email",
    "core.view_outboxmessage",
    "accounts.view_user",
)


# Roles whose holders read personal data of their own organisation only: an editor its events' attendees (names
# and addresses of supporters and guests), a researcher the casualties it recorded (names, exact addresses).
# Little data, but of people in conflict areas: their accounts need a second factor too.
ORGANISATION_ROLES_READING_PERSONAL_DATA: tuple[str, ...] = (Role.ORGANISATION_EDITOR, Role.RESEARCHER)


def two_factor_required(user: Any) -> bool:
    """Superusers, everyone who holds a permission to read personal data, and the organisations' editors and
    researchers (who read their own organisation's) must log in with a second factor. Supporters may."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or any(user.has_perm(permission) for permission in PERSONAL_DATA_PERMISSIONS):
        return True
    return bool(user.groups.filter(name__in=ORGANISATION_ROLES_READING_PERSONAL_DATA).exists())


def has_two_factor(user: Any) -> bool:
    """Whether the account has a confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


class Step(enum.Enum):
    """What a session must do before it is served anything else."""

    NONE = "none"
    VERIFY = "verify"  # the account has an authenticator: give a code (or a recovery code)
    ENROL = "enrol"  # the account must use two factors and has none yet: set one up


def pending_step(request: HttpRequest) -> Step:
    """The step this request's session still owes; worked out once per request (middleware and admin ask)."""
    cached = getattr(request, "_two_factor_step", None)
    if cached is not None:
        return cached
    user: Any = request.user
    if not user.is_authenticated or (hasattr(user, "is_verified") and user.is_verified()):
        step = Step.NONE
    elif has_two_factor(user):
        step = Step.VERIFY
    elif two_factor_required(user):
        step = Step.ENROL
    else:
        step = Step.NONE
    request._two_factor_step = step  # type: ignore[attr-defined]
    return step


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes, and recovery codes in capitals; none of that matters."""
    return "".join(character for character in code if character.isalnum()).lower()


def totp_code_matches(*, key: str, code: str) -> int | None:
    """The time step at which `code` is right for the hex `key` now (± one step), or None."""
    code = normalise_code(code)
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if totp.verify(int(code), tolerance=TOTP_TOLERANCE):
        return totp.t()
    return None


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()
