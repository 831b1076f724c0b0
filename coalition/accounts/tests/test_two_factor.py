"""Two-factor authentication: who must use it, enrolment with a real code, the code step of logging in,
recovery codes, and the admin that cannot be reached around it."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import PASSWORD, UserFactory
from coalition.accounts.tests.two_factor import totp_code
from coalition.accounts.two_factor import two_factor_required
from coalition.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _log_in(client, email, next_url=""):
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, "the password step failed"
    return response


def _enrol(client):
    """Go through enrolment as a person would: read the secret on the page, type the app's code."""
    page = client.get(reverse("two_factor_enrol"))
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    key = base64.b32decode(secret.replace(" ", "")).hex()
    response = client.post(reverse("two_factor_enrol"), {"code": totp_code(key)})
    return key, response


def _with_role(user, role):
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


def test_superusers_and_every_role_that_reads_personal_data_must_use_two_factors(alice, carol, sam, edna):
    reviewer = _with_role(UserFactory(email="vera@example.org", is_staff=True), Role.REVIEWER)
    researcher = _with_role(UserFactory(email="rita@example.org"), Role.RESEARCHER)
    clerk = UserFactory(email="clerk@example.org", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_supporter"))
    clerk = User.objects.get(pk=clerk.pk)

    assert two_factor_required(alice)
    assert two_factor_required(carol)
    assert two_factor_required(reviewer)
    assert two_factor_required(clerk)  # any grant of a personal-data permission, not only a role's
    assert two_factor_required(edna)  # her events' attendees
    assert two_factor_required(researcher)  # her organisation's casualties, names included
    assert not two_factor_required(sam)
    assert not two_factor_required(UserFactory(email="plainstaff@example.org", is_staff=True))


def test_enrolling_with_a_real_code_turns_it_on_and_shows_the_recovery_codes_once(client, sam):
    client.force_login(sam)
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    assert b'src="data:image/svg+xml' in page.content
    assert not TOTPDevice.objects.filter(user=sam).exists()  # nothing saved before the app proves itself

    wrong = client.post(reverse("two_factor_enrol"), {"code": "123456"})
    assert b"That code does not match" in wrong.content
    assert not TOTPDevice.objects.filter(user=sam).exists()

    key, response = _enrol(client)

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=sam)
    assert device.confirmed and device.key == key
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=sam).values_list("token", flat=True))
    # Shown once: the page does not show them again.
    assert client.get(reverse("two_factor_recovery_codes"))["Location"] == reverse("two_factor")
    assert b"You have 10 unused recovery codes" in client.get(reverse("two_factor")).content


def test_logging_in_with_two_factors_asks_for_the_code_after_the_password(client, settings, sam):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a typo may be corrected at once here
    device = TOTPDevice.objects.create(user=sam, confirmed=True)

    response = _log_in(client, "sam@example.org", next_url="/events/")
    verify = client.get(response["Location"])
    assert verify.status_code == 302
    assert verify["Location"] == f"{reverse('two_factor_verify')}?next=%2Fevents%2F"
    # Until the code is given, nothing else is served.
    assert client.get(reverse("two_factor"))["Location"].startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/events/"})
    assert b"That code is not right" in wrong.content
    right = client.post(reverse("two_factor_verify"), {"code": totp_code(device.key), "next": "/events/"})

    assert right.status_code == 302 and right["Location"] == "/events/"
    assert client.get("/events/").status_code == 200
    assert client.get(reverse("two_factor")).status_code == 200


def test_a_recovery_code_logs_in_once(client, sam):
    TOTPDevice.objects.create(user=sam, confirmed=True)
    recovery = StaticDevice.objects.create(user=sam, confirmed=True)
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="wxyz6789")

    _log_in(client, "sam@example.org")
    # Typed in capitals with a space, as people copy them from paper.
    response = client.post(reverse("two_factor_verify"), {"code": "ABCD 2345"}, follow=True)
    assert response.context["user"] == sam
    assert "You used a recovery code; 1 is left." in response.content.decode()
    client.post(reverse("logout"))

    _log_in(client, "sam@example.org")
    again = client.post(reverse("two_factor_verify"), {"code": "abcd2345"})

    assert b"That code is not right, or it was already used" in again.content
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_code_from_another_site_or_an_outside_next_does_not_send_the_person_away(client, sam):
    device = TOTPDevice.objects.create(user=sam, confirmed=True)
    _log_in(client, "sam@example.org")

    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(device.key), "next": "https://evil.example.org/"}
    )

    assert response["Location"] == reverse("home")


def test_an_account_that_must_use_two_factors_is_sent_to_enrolment_before_anything_else(client, carol):
    _log_in(client, "carol@example.org", next_url="/members/staff/supporters/")

    for path in [
        "/members/staff/supporters/",
        "/",
        "/admin/",
        "/admin/members/supporter/",
        "/api/v1/states/",
        "/accounts/two-factor/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("two_factor_enrol")), path
    # Logging out still works.
    key, enrolled = _enrol(client)
    assert enrolled.status_code == 302
    assert client.get("/members/staff/supporters/").status_code == 200
    assert client.get("/admin/members/supporter/").status_code == 200


def test_an_account_that_must_enrol_can_log_out_instead(client, carol):
    _log_in(client, "carol@example.org")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_supporters_may_log_in_without_two_factors(client, sam):
    _log_in(client, sam.email)
    assert client.get(reverse("home")).status_code == 200
    status = client.get(reverse("two_factor"))
    assert b"Two-factor authentication is off" in status.content


def test_editors_and_researchers_who_read_their_organisations_personal_data_must_enrol(client, edna, org_a):
    from coalition.research.models import Researcher

    rita = UserFactory(email="rita@alpha.example.org")
    rita.groups.add(Group.objects.get(name=Role.RESEARCHER))
    Researcher.objects.create(user=rita, organisation=org_a)
    for user in (edna, rita):
        assert two_factor_required(user)
        _log_in(client, user.email)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_enrol"))
        client.post(reverse("logout"))


def test_the_admin_itself_refuses_a_session_that_has_not_given_its_code(client, settings, alice):
    # Without the middleware, the admin site checks the same rule on its own.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    TOTPDevice.objects.create(user=alice, confirmed=True)
    client.post("/admin/login/", {"username": "alice@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(alice.pk)

    for path in ["/admin/", "/admin/accounts/user/", "/admin/members/supporter/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), path


def test_the_admin_log_in_asks_for_the_code_too(client, alice):
    device = TOTPDevice.objects.create(user=alice, confirmed=True)
    client.post("/admin/login/", {"username": "alice@example.org", "password": PASSWORD, "next": "/admin/"})

    response = client.get("/admin/")
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fadmin%2F"
    client.post(reverse("two_factor_verify"), {"code": totp_code(device.key)})

    assert client.get("/admin/").status_code == 200


def test_force_login_gives_a_verified_session_unless_told_not_to(client, carol):
    client.force_login(carol)
    assert client.get("/members/staff/supporters/").status_code == 200

    client.force_login(carol, otp_verified=False)
    response = client.get("/members/staff/supporters/")
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_the_device_secrets_and_recovery_codes_are_not_in_the_admin(client, alice):
    client.force_login(alice)

    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_a_supporter_turns_two_factors_off_with_the_password(client, sam):
    TOTPDevice.objects.create(user=sam, confirmed=True)
    StaticDevice.objects.create(user=sam, confirmed=True)
    client.force_login(sam)

    wrong = client.post(reverse("two_factor_turn_off"), {"password": "not it"})
    assert b"That is not your password" in wrong.content
    assert TOTPDevice.objects.filter(user=sam).exists()
    response = client.post(reverse("two_factor_turn_off"), {"password": PASSWORD})

    assert response["Location"] == reverse("two_factor")
    assert not TOTPDevice.objects.filter(user=sam).exists()
    assert not StaticDevice.objects.filter(user=sam).exists()
    [entry] = AuditEntry.objects.filter(action="user.two_factor_off")
    assert (entry.actor_id, entry.object_id) == (sam.pk, str(sam.pk))


def test_an_account_that_must_use_two_factors_cannot_turn_them_off(client, carol):
    client.force_login(carol)

    response = client.post(reverse("two_factor_turn_off"), {"password": PASSWORD}, follow=True)

    assert "cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=carol, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, sam):
    TOTPDevice.objects.create(user=sam, confirmed=True)
    old = StaticDevice.objects.create(user=sam, confirmed=True)
    old.token_set.create(token="oldcode2")
    client.force_login(sam)

    response = client.post(reverse("two_factor_recovery_codes_new"), follow=True)

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="oldcode2").exists()


def test_an_administrator_resets_two_factors_for_someone_who_lost_their_phone(client, alice, carol):
    TOTPDevice.objects.create(user=carol, confirmed=True)
    client.force_login(alice)

    response = client.post(
        "/admin/accounts/user/", {"action": "two_factor_reset", "_selected_action": [carol.pk]}, follow=True
    )

    assert "Two-factor authentication was reset for 1 account." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=carol).exists()
    [entry] = AuditEntry.objects.filter(action="user.two_factor_reset")
    assert (entry.actor_id, entry.object_id) == (alice.pk, str(carol.pk))
    # Carol sets it up again at her next log-in.
    client.post(reverse("logout"))
    _log_in(client, "carol@example.org")
    assert client.get("/")["Location"].startswith(reverse("two_factor_enrol"))


def test_a_campaigner_cannot_reset_anyones_two_factors(client, carol, sam):
    TOTPDevice.objects.create(user=sam, confirmed=True)
    client.force_login(carol)

    client.post("/admin/accounts/user/", {"action": "two_factor_reset", "_selected_action": [sam.pk]})

    assert TOTPDevice.objects.filter(user=sam).exists()


def test_an_administrator_who_lost_phone_and_codes_gets_a_one_time_code_from_the_server(client, alice, capsys):
    TOTPDevice.objects.create(user=alice, confirmed=True)

    call_command("addstatictoken", "Alice@example.org")
    code = capsys.readouterr().out.strip()
    _log_in(client, "alice@example.org")
    client.post(reverse("two_factor_verify"), {"code": code})

    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()


@pytest.mark.parametrize(
    "code", ["\x00123456", "1" * 100_000, "123\r\n456", "١٢٣٤٥٦", "<script>alert(1)</script>", "=1+1", "-1"]
)
def test_a_hostile_code_is_refused_and_changes_nothing(client, sam, code):
    """Codes are the one input the fuzzer of tests/hostile_input/ cannot hold valid: tried here."""
    client.force_login(sam)
    assert client.post(reverse("two_factor_enrol"), {"code": code}).status_code == 200
    assert not TOTPDevice.objects.filter(user=sam).exists()

    device = TOTPDevice.objects.create(user=sam, confirmed=True)
    client.force_login(sam, otp_verified=False)
    response = client.post(reverse("two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode() or "error" in response.content.decode()
    device.refresh_from_db()
    assert client.get("/").status_code == 302, "still not past the code step"
