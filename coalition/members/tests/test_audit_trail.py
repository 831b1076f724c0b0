"""Every decision of the registry leaves one audit entry: who, what, about which object (decision 0011)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.core.models import AuditEntry
from coalition.core.tests.audit_trail import admin_change_data, assert_one_entry, entry_text, recorded
from coalition.members.models import MembershipApplication, Supporter
from coalition.members.supporters import DATA_LINK_SALT, supporter_token
from coalition.members.tests.factories import ApplicationFactory, SupporterFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = "name,type,country\nHandicap Example,ngo,FR\nChurch Example,faith,IE\n"


def _decided(client, carol, decision, message):
    """An application, and the audit entries of `carol`'s decision on it."""
    application = ApplicationFactory()
    client.force_login(carol)
    with recorded() as entries:
        client.post(f"/members/staff/applications/{application.pk}/", {"decision": decision, "message": message})
    return application, entries


def test_approving_an_application_is_recorded_once_with_the_message(client, carol):
    application, entries = _decided(client, carol, "approve", "Welcome")

    entry = assert_one_entry(entries, by=carol, action="membership.approve", target=application)
    assert entry.object_label == application.organisation.name
    assert entry.detail["message"] == "Welcome"
    assert entry.detail["organisation_status"] == ["applicant", "member"]
    assert MembershipApplication.objects.get().status == "approved"


def test_rejecting_an_application_is_recorded_once(client, carol):
    application, entries = _decided(client, carol, "reject", "Not now")

    entry = assert_one_entry(entries, by=carol, action="membership.reject", target=application)
    assert entry.detail == {"message": "Not now"}


def test_a_decision_refused_as_already_taken_records_nothing(client, carol):
    application = ApplicationFactory(status=MembershipApplication.Status.REJECTED)
    client.force_login(carol)

    with recorded() as entries:
        client.post(f"/members/staff/applications/{application.pk}/", {"decision": "approve", "message": ""})

    assert entries == []


def test_staff_changing_an_organisations_status_is_recorded_with_the_reason(client, carol, org_a):
    client.force_login(carol)

    with recorded() as entries:
        client.post(f"/members/staff/organisations/{org_a.slug}/status/", {"status": "suspended", "note": "Dormant"})

    entry = assert_one_entry(entries, by=carol, action="organisation.set_status", target=org_a)
    assert entry.detail == {"status": ["member", "suspended"], "note": "Dormant"}


def test_an_editor_changing_the_profile_is_recorded_with_before_and_after(client, edna, org_a):
    client.force_login(edna)
    form = {"name": "Alpha Aid", "type": "ngo", "country": "NO", "website": "https://alpha.example.org"}

    with recorded() as entries:
        response = client.post(f"/members/{org_a.slug}/edit/", form)

    assert response.status_code == 302

    entry = assert_one_entry(entries, by=edna, action="organisation.update_profile", target=org_a)
    assert entry.detail["fields"]["website"] == ["", "https://alpha.example.org"]


def test_an_import_is_one_entry_and_its_dry_run_none(client, carol):
    client.force_login(carol)

    with recorded() as dry_run:
        client.post("/members/staff/organisations/import/", {"csv_text": GOOD_CSV})
    with recorded() as entries:
        client.post("/members/staff/organisations/import/", {"csv_text": GOOD_CSV, "confirm": "True"})

    assert dry_run == []
    assert [(entry.action, entry.actor, entry.detail) for entry in entries] == [
        ("organisations.import", carol, {"created": 2, "updated": 0})
    ]
    assert entries[0].object_label == "CSV import: created 2, updated 0 organisation(s)"


def test_a_supporter_erasing_themselves_is_recorded_as_the_person_with_none_of_their_data(client):
    supporter = SupporterFactory(name="Lina Private", email="lina.private@example.org", country="LB")
    token = supporter_token(supporter, salt=DATA_LINK_SALT)

    with recorded() as entries:
        client.post(reverse("members:my-data-manage", args=[token]), {"confirm": "on"})

    entry = assert_one_entry(entries, by=AuditEntry.ActorKind.SUBJECT, action="supporter.erase", target=supporter)
    assert entry.actor_label == ""
    assert entry.object_label == f"supporter #{supporter.pk}"
    for personal in ("Lina", "Private", "lina.private", "example.org"):
        assert personal not in entry_text(entry)
    assert Supporter.objects.get().status == "erased"


def test_an_administrator_erases_a_supporter_from_the_admin_and_it_is_recorded(client, alice):
    supporter = SupporterFactory(name="Omar Private", email="omar.private@example.org")
    client.force_login(alice)

    with recorded() as entries:
        response = client.post(
            "/admin/members/supporter/", {"action": "erase", "_selected_action": [supporter.pk]}, follow=True
        )

    assert "1 supporter(s) erased." in response.text
    entry = assert_one_entry(entries, by=alice, action="supporter.erase", target=supporter)
    for personal in ("Omar", "omar.private"):
        assert personal not in entry_text(entry)
    supporter.refresh_from_db()
    assert (supporter.status, supporter.email, supporter.name) == ("erased", None, "")


def test_a_campaigner_cannot_erase_supporters_from_the_admin(client, carol):
    supporter = SupporterFactory()
    client.force_login(carol)

    with recorded() as entries:
        client.post("/admin/members/supporter/", {"action": "erase", "_selected_action": [supporter.pk]})

    assert entries == []
    assert Supporter.objects.get().status == "confirmed"


def test_giving_someone_the_editing_of_an_organisation_in_the_admin_is_recorded(client, carol, edna, bruno, org_a):
    client.force_login(carol)
    url = f"/admin/members/organisation/{org_a.pk}/change/"
    data = admin_change_data(client.get(url))
    data["editors"] = [str(edna.pk), str(bruno.pk)]

    with recorded() as entries:
        response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = assert_one_entry(entries, by=carol, action="organisation.editors", target=org_a)
    assert entry.detail == {"editors": [[edna.email], sorted([edna.email, bruno.email])]}
    assert set(org_a.editors.all()) == {edna, bruno}
