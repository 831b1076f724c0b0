"""Who can log in and what they may do: every change an administrator makes in the admin is in the audit trail
(roles, staff and superuser flags, log-in address, passwords set for others, a role's permissions)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.tests.audit_trail import admin_change_data, assert_one_entry, entry_text, recorded

pytestmark = pytest.mark.django_db


def test_giving_someone_a_role_and_staff_status_is_recorded_with_before_and_after(client, alice):
    person = UserFactory(email="newhire@example.org", full_name="New Hire")
    client.force_login(alice)
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = admin_change_data(client.get(url))
    data |= {"groups": [str(Group.objects.get(name=Role.CAMPAIGNER).pk)], "is_staff": "on"}

    with recorded() as entries:
        response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    entry = assert_one_entry(entries, by=alice, action="user.change", target=person)
    assert entry.object_label == "newhire@example.org"
    assert entry.detail == {"is_staff": [False, True], "groups": [[], ["campaigner"]]}
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=Role.CAMPAIGNER).exists()


def test_making_someone_superuser_and_changing_their_log_in_address_are_recorded(client, alice, carol):
    client.force_login(alice)
    url = f"/admin/accounts/user/{carol.pk}/change/"
    data = admin_change_data(client.get(url)) | {"is_superuser": "on", "email": "carol.new@example.org"}

    with recorded() as entries:
        client.post(url, data)

    entry = assert_one_entry(entries, by=alice, action="user.change", target=carol)
    assert entry.detail == {"email": ["carol@example.org", "carol.new@example.org"], "is_superuser": [False, True]}


def test_editing_only_a_name_is_not_a_change_of_access(client, alice, carol):
    client.force_login(alice)
    url = f"/admin/accounts/user/{carol.pk}/change/"

    with recorded() as entries:
        client.post(url, admin_change_data(client.get(url)) | {"full_name": "Carol C."})

    assert entries == []
    assert User.objects.get(pk=carol.pk).full_name == "Carol C."


def test_creating_an_account_and_setting_its_password_are_recorded_without_the_password(client, alice):
    client.force_login(alice)

    with recorded() as created:
        client.post(
            "/admin/accounts/user/add/",
            {"email": "fresh@example.org", "password1": "Tr0ub4dor&3xyz", "password2": "Tr0ub4dor&3xyz"},
        )
    person = User.objects.get(email="fresh@example.org")
    with recorded() as password_set:
        response = client.post(
            f"/admin/accounts/user/{person.pk}/password/",
            {"password1": "An0ther-secret-42", "password2": "An0ther-secret-42", "usable_password": "true"},
        )

    assert response.status_code == 302
    assert_one_entry(created, by=alice, action="user.create", target=person)
    entry = assert_one_entry(password_set, by=alice, action="user.set_password", target=person)
    assert entry.detail == {"usable": True}
    assert "An0ther" not in entry_text(entry) and "Tr0ub4dor" not in entry_text(entry)


def test_a_campaigner_cannot_change_anyones_roles_and_nothing_is_recorded(client, carol, sam):
    client.force_login(carol)
    url = f"/admin/accounts/user/{sam.pk}/change/"

    with recorded() as entries:
        response = client.post(url, {"email": sam.email, "is_superuser": "on", "is_staff": "on"})

    assert response.status_code == 403
    assert entries == []
    sam.refresh_from_db()
    assert not sam.is_superuser


def test_changing_a_roles_permissions_is_recorded(client, alice):
    role = Group.objects.get(name=Role.SUPPORTER)
    permission = Permission.objects.get(codename="view_supporter")
    client.force_login(alice)
    url = f"/admin/auth/group/{role.pk}/change/"
    data = admin_change_data(client.get(url)) | {"permissions": [str(permission.pk)]}

    with recorded() as entries:
        response = client.post(url, data)

    assert response.status_code == 302
    entry = assert_one_entry(entries, by=alice, action="group.change", target=role)
    assert entry.object_label == "supporter"
    assert entry.detail == {"permissions": [[], [str(permission)]]}
