"""Administrators read the audit trail in one place, the admin: by person, action, object and date.

Nobody adds, changes or deletes an entry there, and campaigners do not read it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.audit import audit_record
from coalition.core.models import AuditEntry
from coalition.members.models import Organisation

pytestmark = pytest.mark.django_db

URL = "/admin/core/auditentry/"


def _entry(by, target, action: str, at: datetime) -> AuditEntry:
    # Inserted with a chosen date, as `audit_record` would have written it then.
    return AuditEntry.objects.create(
        at=at,
        actor=by,
        actor_label=f"{by.full_name} <{by.email}>",
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_label=str(target),
    )


@pytest.fixture
def trail(carol, edna, org_a, org_b):
    march = datetime(2025, 3, 10, 12, tzinfo=UTC)
    june = datetime(2025, 6, 2, 9, tzinfo=UTC)
    return [
        _entry(carol, org_a, "organisation.set_status", march),
        _entry(carol, org_b, "organisation.set_status", june),
        _entry(edna, org_a, "organisation.update_profile", june),
    ]


def _labels(response) -> list[str]:
    return [entry.object_label + "/" + entry.action for entry in response.context["cl"].result_list]


def test_an_administrator_reads_every_entry_with_who_what_and_when(client, alice, trail):
    client.force_login(alice)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Carol Campaigner &lt;carol@example.org&gt;" in response.text
    assert "Edna Editor &lt;edna@alpha.example.org&gt;" in response.text
    assert "organisation.update_profile" in response.text
    assert "Beta Relief" in response.text


def test_an_administrator_filters_by_person(client, alice, carol, trail):
    client.force_login(alice)

    response = client.get(URL, {"actor__id__exact": carol.pk})

    assert sorted(_labels(response)) == [
        "Alpha Aid/organisation.set_status",
        "Beta Relief/organisation.set_status",
    ]


def test_an_administrator_filters_by_date(client, alice, trail):
    client.force_login(alice)

    response = client.get(URL, {"at__year": 2025, "at__month": 3})

    assert _labels(response) == ["Alpha Aid/organisation.set_status"]


def test_an_administrator_filters_by_action_and_by_object(client, alice, org_a, trail):
    client.force_login(alice)
    organisation_type = ContentType.objects.get_for_model(Organisation)

    by_action = client.get(URL, {"action": "organisation.update_profile"})
    by_object = client.get(URL, {"content_type__id__exact": organisation_type.pk, "object_id": org_a.pk})
    by_label = client.get(URL, {"q": "Beta"})

    assert _labels(by_action) == ["Alpha Aid/organisation.update_profile"]
    assert sorted(_labels(by_object)) == ["Alpha Aid/organisation.set_status", "Alpha Aid/organisation.update_profile"]
    assert _labels(by_label) == ["Beta Relief/organisation.set_status"]
    # Each row links to every entry about the same object.
    assert f"?content_type__id__exact={organisation_type.pk}&amp;object_id={org_a.pk}" in by_action.text


def test_a_campaigner_cannot_read_the_audit_trail(client, carol, trail):
    client.force_login(carol)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{trail[0].pk}/change/").status_code == 403
    assert "auditentry" not in client.get("/admin/").text


@pytest.mark.parametrize("role", list(Role))
def test_no_role_reads_the_audit_trail(client, trail, role):
    person = UserFactory(email="staffer@example.org", is_staff=True)
    person.groups.add(Group.objects.get(name=role))
    client.force_login(person)

    assert client.get(URL).status_code == 403
    assert not person.has_perm("core.view_auditentry")


def test_nobody_adds_changes_or_deletes_an_entry_in_the_admin(client, alice, trail):
    entry = trail[0]
    client.force_login(alice)

    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}add/", {"action": "organisation.forged"}).status_code == 403
    assert client.post(f"{URL}{entry.pk}/change/", {"action": "organisation.forged"}).status_code == 403
    assert client.get(f"{URL}{entry.pk}/delete/").status_code == 403
    assert client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.post(URL, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert changelist.status_code == 200  # no actions at all: the POST is only the list again
    assert AuditEntry.objects.filter(pk=entry.pk, action="organisation.set_status").exists()
    # The entry itself is shown, read-only.
    page = client.get(f"{URL}{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_number_of_entries(client, alice, carol, org_a):
    client.force_login(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    audit_record(by=carol, action="organisation.set_status", target=org_a)
    few = count()
    for _n in range(30):
        audit_record(by=carol, action="organisation.set_status", target=org_a)

    assert count() == few
