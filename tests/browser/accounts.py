"""Logging in through the real form in the browser, with the second factor where the account has one.

Accounts that must use two factors (staff who read personal data, superusers; coalition.accounts.two_factor)
are given an authenticator app before they log in, as if they had enrolled earlier, and the code it shows is
typed into the code step. Enrolment itself is tested in test_two_factor.py.
"""

from __future__ import annotations

import base64
from binascii import unhexlify

from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from coalition.accounts.tests.factories import PASSWORD
from coalition.accounts.tests.two_factor import authenticator_for, totp_code
from coalition.accounts.two_factor import has_two_factor, two_factor_required


def next_code(device) -> str:
    """The app's code for the first time step the device has not used yet (a code works once)."""
    device.refresh_from_db()
    totp = TOTP(unhexlify(device.key), step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    totp.drift += max(0, device.last_t + 1 - totp.t())
    return f"{totp.token():06d}"


def log_in(page, live_server, email: str, password: str = PASSWORD, *, landing: str = "/") -> None:
    """Fill the log-in form with the keyboard; type the authenticator's code if asked; wait for `landing`."""
    user = get_user_model()._default_manager.get(email__iexact=email)
    device = authenticator_for(user) if two_factor_required(user) or has_two_factor(user) else None
    give_password(page, email, password)
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/verify/**")
        give_code(page, next_code(device))
    page.wait_for_url(f"{live_server.url}{landing}")


def give_password(page, email: str, password: str = PASSWORD) -> None:
    """The log-in form's first step, with the keyboard: address and password."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")


def give_code(page, code: str) -> None:
    """The code step, with the keyboard: an authenticator's code or a recovery code."""
    page.get_by_label("Code").fill(code)
    page.keyboard.press("Enter")


def enrol(page, *, landing: str) -> None:
    """On the set-up page an account that must use two factors is sent to: read the secret as an app would,
    type its code, and continue past the recovery codes to `landing`."""
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    key = base64.b32decode(page.locator(".secret-key").inner_text().replace(" ", "")).hex()
    page.get_by_label("Code from the app").fill(totp_code(key))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    page.get_by_role("link", name="I have saved my recovery codes, continue").press("Enter")
    page.wait_for_url(landing)
