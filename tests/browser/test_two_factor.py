"""Two-factor authentication in a real browser, with the keyboard: enrolment with the code of an app that
read the secret off the page, the recovery codes shown once, then logging in again with a fresh code."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from coalition.accounts.tests.factories import PASSWORD
from coalition.accounts.tests.two_factor import totp_code
from tests.browser.accounts import give_code, give_password, log_in, next_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_campaigner_enrols_at_first_log_in_then_logs_in_with_a_code(page, live_server, carol):
    # Carol must use two factors (she can read supporters' data) and has none yet: after her password, the
    # site sends her to set it up before anything else.
    page.goto("/members/staff/supporters/")
    page.get_by_label("E-mail address").fill("carol@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    assert page.locator("img.qr-code").evaluate("image => image.complete && image.naturalWidth > 0")

    # Her app reads the secret (here: from the text under the picture) and shows a code, which she types.
    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    key = base64.b32decode(secret).hex()
    code_field = page.get_by_label("Code from the app")
    code_field.focus()
    page.keyboard.type(totp_code(key))
    page.keyboard.press("Enter")

    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my recovery codes, continue").press("Enter")
    page.wait_for_url("**/members/staff/supporters/")
    assert TOTPDevice.objects.get(user=carol).confirmed

    # Next time, the password is followed by the code step.
    page.get_by_role("button", name="Log out").press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    give_password(page, "carol@example.org")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    give_code(page, "000000")
    page.get_by_text("That code is not right").wait_for()
    # django-otp makes her wait a second after a wrong code.
    page.wait_for_timeout(1100)
    give_code(page, next_code(TOTPDevice.objects.get(user=carol)))
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/members/staff/supporters/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/members/staff/supporters/" in page.url


def test_a_recovery_code_logs_in_when_the_phone_is_lost(page, live_server, sam):
    from django_otp.plugins.otp_static.models import StaticDevice

    TOTPDevice.objects.create(user=sam, confirmed=True)
    StaticDevice.objects.create(user=sam, confirmed=True).token_set.create(token="k7m2q4zx")

    give_password(page, "sam@example.org")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    give_code(page, "K7M2 Q4ZX")

    page.wait_for_url(f"{live_server.url}/")
    assert "You used a recovery code; 0 are left." in page.locator(".messages").inner_text()


def test_the_shared_log_in_helper_types_the_code_for_staff(page, live_server, alice):
    log_in(page, live_server, "alice@example.org")
    page.goto("/admin/")
    assert "/admin/" in page.url and "two-factor" not in page.url
