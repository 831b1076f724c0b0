"""Logging in by e-mail, roles as groups, and the password reset through the e-mail queue."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from coalition.accounts.models import User
from coalition.accounts.roles import ROLE_PERMISSIONS, Role
from coalition.accounts.tests.factories import PASSWORD, UserFactory
from coalition.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_people_log_in_with_their_email_in_any_case(client, sam):
    response = client.post(reverse("login"), {"username": "Sam@Example.ORG", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == sam


def test_a_wrong_password_is_refused_with_a_message(client, carol):
    response = client.post(reverse("login"), {"username": "carol@example.org", "password": "wrong"})

    assert response.status_code == 200
    assert b"Please enter a correct" in response.content
    assert not response.context["user"].is_authenticated


def test_two_accounts_cannot_share_an_address_in_different_case(db):
    User.objects.create_user("dana@example.org", "x")
    with pytest.raises(IntegrityError):
        User.objects.create(email="DANA@example.org")


def test_each_role_is_a_group_with_its_permissions(carol):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    for permission in ROLE_PERMISSIONS[Role.CAMPAIGNER]:
        assert carol.has_perm(permission)
    assert not carol.has_perm("accounts.change_user")


def test_logging_out_needs_a_post_and_ends_the_session(client, sam):
    client.force_login(sam)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_password_reset_link_arrives_in_the_outbox_and_sets_a_new_password(
    client, sam, outbox_backend, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "SAM@example.org"})
    assert response.status_code == 302
    run_tasks()

    message = OutboxMessage.objects.get(to="sam@example.org")
    link = re.search(r"http://[^\s]+/accounts/reset/[^\s]+/", message.body_text).group(0)
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.context["validlink"]
    new_password = "a fresh long passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302

    sam.refresh_from_db()
    assert sam.check_password(new_password)


def test_a_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, outbox_backend, run_tasks):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    run_tasks()
    assert OutboxMessage.objects.count() == 0


def test_the_first_administrator_is_created_once_and_its_login_printed_once(db, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out

    admin = User.objects.get(is_superuser=True)
    password = re.search(r"password: (\S+)", first).group(1)
    assert admin.check_password(password)
    assert second == ""
    assert User.objects.filter(is_superuser=True).count() == 1


def test_staff_reach_the_admin_and_supporters_do_not(client, alice, sam):
    client.force_login(sam)
    assert client.get("/admin/").status_code == 302
    client.force_login(alice)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_user_factory_makes_users_who_can_log_in(client):
    user = UserFactory()
    assert client.login(username=user.email, password=PASSWORD)


def test_after_ten_attempts_an_account_cannot_be_logged_into_for_a_while(client, carol):
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "carol@example.org", "password": "guess"})

    response = client.post(reverse("login"), {"username": "CAROL@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert b"Too many attempts to log in" in response.content
    assert not response.context["user"].is_authenticated


def test_one_client_cannot_try_passwords_of_many_accounts_through_the_admin(client, settings, carol):
    settings.LOGIN_RATE_PER_IP = "3/15m"
    for number in range(3):
        client.post("/admin/login/", {"username": f"someone{number}@example.org", "password": "guess"})

    response = client.post("/admin/login/", {"username": "carol@example.org", "password": PASSWORD})

    assert b"Too many attempts to log in" in response.content
    assert "_auth_user_id" not in client.session


def test_an_editor_who_never_chose_a_password_can_still_ask_for_a_reset_link(
    client, outbox_backend, run_tasks, django_capture_on_commit_callbacks
):
    # Approving an application creates the editor's account without a password; the e-mailed link to
    # choose one lasts a day, and after that "Forgotten your password?" is the way in.
    User.objects.create_user("ines@gamma.example.org", password=None)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "Ines@gamma.example.org"})
    run_tasks()

    assert "/accounts/reset/" in OutboxMessage.objects.get(to="ines@gamma.example.org").body_text


def test_a_deactivated_account_gets_no_reset_link(
    client, outbox_backend, run_tasks, django_capture_on_commit_callbacks
):
    User.objects.create_user("gone@example.org", password=None, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "gone@example.org"})
    run_tasks()

    assert OutboxMessage.objects.count() == 0


def test_asking_for_many_reset_links_for_one_address_sends_only_the_first_few_and_shows_the_same_page(
    client, sam, outbox_backend, run_tasks, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    pages = []
    for number in range(6):
        # Any case is the same address; a different client each time does not help.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("password_reset"),
                {"email": "Sam@Example.org" if number % 2 else "sam@example.org"},
                REMOTE_ADDR=f"10.0.0.{number}",
            )
        pages.append((response.status_code, response["Location"]))
    run_tasks()

    assert OutboxMessage.objects.filter(to="sam@example.org").count() == 3
    assert set(pages) == {(302, reverse("password_reset_done"))}


def test_one_client_asking_for_reset_links_of_many_addresses_is_stopped_without_being_told(
    client, sam, outbox_backend, run_tasks, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_RESET_RATE_PER_IP = "5/h"
    for number in range(5):
        client.post(reverse("password_reset"), {"email": f"someone{number}@example.org"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "sam@example.org"})
    run_tasks()

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert OutboxMessage.objects.count() == 0
