"""An organisation's editors edit its profile, and only its own; they see what their referral links brought."""

from __future__ import annotations

import pytest

from coalition.members.tests.factories import SupporterFactory
from coalition.members.tests.form_data import PROFILE

pytestmark = pytest.mark.django_db


def test_an_editor_edits_their_organisations_profile(client, edna, org_a):
    client.force_login(edna)
    assert "Edit this profile" in client.get(f"/members/{org_a.slug}/").text

    response = client.post(f"/members/{org_a.slug}/edit/", PROFILE)

    assert response.status_code == 302 and response["Location"] == f"/members/{org_a.slug}/"
    org_a.refresh_from_db()
    assert org_a.city == "Bergen" and org_a.website == "https://alpha.example.org"
    assert "Clearance and victim assistance." in client.get(f"/members/{org_a.slug}/").text


def test_an_editor_cannot_change_the_status_or_the_steering_committee(client, edna, org_a):
    client.force_login(edna)

    client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "status": "left", "founding_member": "on"})

    org_a.refresh_from_db()
    assert org_a.status == "member" and org_a.founding_member is False


def test_an_editor_gets_403_on_another_organisations_edit_page(client, edna, org_b):
    client.force_login(edna)

    assert client.get(f"/members/{org_b.slug}/edit/").status_code == 403
    assert client.post(f"/members/{org_b.slug}/edit/", {**PROFILE, "name": "Hijacked"}).status_code == 403
    org_b.refresh_from_db()
    assert org_b.name == "Beta Relief"
    assert "Edit this profile" not in client.get(f"/members/{org_b.slug}/").text


def test_an_anonymous_visitor_is_sent_to_log_in(client, org_a):
    response = client.get(f"/members/{org_a.slug}/edit/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_supporter_account_cannot_edit_any_organisation(client, sam, org_a):
    client.force_login(sam)

    assert client.get(f"/members/{org_a.slug}/edit/").status_code == 403


def test_a_campaigner_can_edit_any_organisation(client, carol, org_b):
    client.force_login(carol)

    client.post(f"/members/{org_b.slug}/edit/", {**PROFILE, "name": "Beta Relief", "city": "Tripoli"})

    org_b.refresh_from_db()
    assert org_b.city == "Tripoli"


def test_bad_input_is_explained_and_changes_nothing(client, edna, org_a):
    client.force_login(edna)

    response = client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "website": "not a url", "name": ""})

    assert response.status_code == 200
    assert "Enter a valid URL." in response.text
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Aid" and org_a.website == ""


def test_an_editor_sees_the_referral_link_and_how_many_supporters_it_brought(client, edna, org_a, org_b):
    SupporterFactory.create_batch(2, referred_by=org_a)
    SupporterFactory(referred_by=org_a, status="pending")  # not counted until confirmed
    SupporterFactory(referred_by=org_b)
    client.force_login(edna)

    html = client.get(f"/members/{org_a.slug}/edit/").text

    assert f"?ref={org_a.slug}" in html
    assert "<strong>2</strong> Supporters who signed up" in html


def test_staff_suspend_an_organisation_and_the_history_says_who_when_and_why(client, carol, org_a):
    client.force_login(carol)

    client.post(f"/members/staff/organisations/{org_a.slug}/status/", {"status": "suspended", "note": "Dormant"})

    org_a.refresh_from_db()
    assert org_a.status == "suspended"
    change = org_a.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "member",
        "suspended",
        carol,
        "Dormant",
    )
    assert "Dormant" in client.get(f"/members/{org_a.slug}/edit/").text
    assert client.get(f"/members/{org_a.slug}/").status_code == 404  # no longer public
    assert "Alpha Aid" not in client.get("/members/").text


def test_an_editor_cannot_change_their_own_status(client, edna, org_a):
    client.force_login(edna)

    response = client.post(f"/members/staff/organisations/{org_a.slug}/status/", {"status": "left", "note": "x"})

    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.status == "member"
    assert "Change the status" not in client.get(f"/members/{org_a.slug}/edit/").text
