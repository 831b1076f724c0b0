"""The log-in throttling rule: failures count per (account, client address) and per client address, so a
stranger's guesses lock out the stranger and never the owner."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.tests.factories import PASSWORD, UserFactory
from coalition.accounts.tests.two_factor import totp_code

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
LOCKED = b"Too many attempts to log in"


def _log_in(client, email, password, address, url=None):
    return client.post(url or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_an_attacker_guessing_one_account_from_one_address_is_locked_out(client, settings, sam):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "5/15m"
    for _attempt in range(5):
        assert b"Please enter a correct" in _log_in(client, "sam@example.org", "guess", ATTACKER).content

    # Even the right password is not checked from that address any more.
    response = _log_in(client, "sam@example.org", PASSWORD, ATTACKER)

    assert LOCKED in response.content
    assert "_auth_user_id" not in client.session


def test_the_owner_logs_in_from_another_address_while_the_attacker_is_locked_out(client, settings, alice):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "5/15m"
    device = TOTPDevice.objects.create(user=alice, confirmed=True)
    for _attempt in range(20):
        _log_in(client, "alice@example.org", "guess", ATTACKER)
    assert LOCKED in _log_in(client, "alice@example.org", PASSWORD, ATTACKER).content

    response = _log_in(client, "ALICE@example.org", PASSWORD, OWNER)
    assert response.status_code == 302
    verify = client.get(response["Location"], REMOTE_ADDR=OWNER)
    assert verify.status_code == 302 and verify["Location"].startswith(reverse("two_factor_verify"))
    done = client.post(verify["Location"], {"code": totp_code(device.key)}, REMOTE_ADDR=OWNER)

    assert done.status_code == 302
    assert client.get("/admin/", REMOTE_ADDR=OWNER).status_code == 200


def test_the_admin_log_in_follows_the_same_rule(client, settings):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "3/15m"
    staff = UserFactory(email="stan@example.org", is_staff=True)
    for _attempt in range(3):
        _log_in(client, "stan@example.org", "guess", ATTACKER, url="/admin/login/")

    assert LOCKED in _log_in(client, "stan@example.org", PASSWORD, ATTACKER, url="/admin/login/").content
    assert "_auth_user_id" not in client.session
    response = _log_in(client, "stan@example.org", PASSWORD, OWNER, url="/admin/login/")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_one_address_guessing_many_accounts_is_locked_out(client, settings, sam):
    settings.LOGIN_RATE_PER_IP = "4/15m"
    for number in range(4):
        _log_in(client, f"someone{number}@example.org", "guess", ATTACKER)

    assert LOCKED in _log_in(client, "sam@example.org", PASSWORD, ATTACKER).content
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert _log_in(client, "sam@example.org", PASSWORD, OWNER).status_code == 302


def test_only_failures_count(client, settings, sam):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "3/15m"
    settings.LOGIN_RATE_PER_IP = "3/15m"
    for _attempt in range(6):
        response = _log_in(client, "sam@example.org", PASSWORD, OWNER)
        assert response.status_code == 302
        client.post(reverse("logout"))


def test_a_successful_log_in_clears_the_failures_of_that_account_from_that_address(client, settings, sam):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "3/15m"
    for _round in range(3):
        for _attempt in range(2):
            _log_in(client, "sam@example.org", "typo", OWNER)
        assert _log_in(client, "sam@example.org", PASSWORD, OWNER).status_code == 302
        client.post(reverse("logout"))


def test_wrong_codes_count_as_failed_log_ins(client, settings):
    settings.LOGIN_RATE_PER_EMAIL_AND_IP = "3/15m"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test is about the address counters, not the device's pause
    user = UserFactory(email="dana@example.org")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    _log_in(client, "dana@example.org", PASSWORD, ATTACKER)
    verify = reverse("two_factor_verify")
    for _attempt in range(3):
        response = client.post(verify, {"code": "000000"}, REMOTE_ADDR=ATTACKER)
        assert b"That code is not right" in response.content

    response = client.post(verify, {"code": totp_code(device.key)}, REMOTE_ADDR=ATTACKER)

    assert LOCKED in response.content
    assert client.get(reverse("home"), REMOTE_ADDR=ATTACKER)["Location"].startswith(verify)


def test_after_a_wrong_code_the_device_makes_its_owner_wait_before_the_next(client):
    user = UserFactory(email="dana@example.org")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    _log_in(client, "dana@example.org", PASSWORD, OWNER)
    client.post(reverse("two_factor_verify"), {"code": "000000"}, REMOTE_ADDR=OWNER)

    response = client.post(reverse("two_factor_verify"), {"code": totp_code(device.key)}, REMOTE_ADDR=OWNER)

    assert b"Too many wrong codes" in response.content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
