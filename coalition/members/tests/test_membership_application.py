"""Applying to join at /members/join/, and staff's review: approve or reject, with an e-mail either way."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.core.models import Email, OutboxMessage
from coalition.members.models import MembershipApplication, Organisation, OrganisationStatusChange
from coalition.members.tests.factories import ApplicationFactory, OrganisationFactory
from coalition.members.tests.form_data import APPLICATION

pytestmark = pytest.mark.django_db


def test_an_organisation_applies_and_gets_an_acknowledgement(client, post_and_send):
    response = post_and_send("/members/join/", APPLICATION)

    assert response.status_code == 302 and response["Location"] == "/members/join/thanks/"
    application = MembershipApplication.objects.get()
    assert application.status == "pending"
    assert application.contact_email == "ana@clusterwatch.example.org"
    organisation = application.organisation
    assert organisation.status == Organisation.Status.APPLICANT
    assert organisation.slug == "cluster-watch-laos"
    assert organisation.country.code == "LA"
    assert OrganisationStatusChange.objects.filter(organisation=organisation, to_status="applicant").exists()
    [message] = OutboxMessage.objects.all()
    assert message.to == "ana@clusterwatch.example.org"
    assert "Cluster Watch Laos" in message.subject
    assert "Cluster Watch Laos" not in client.get("/members/").text  # not public until approved


def test_bad_input_gets_a_clear_message_and_stores_nothing(client):
    response = client.post("/members/join/", {**APPLICATION, "contact_email": "not an address", "country": ""})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "This field is required." in response.text
    assert not Organisation.objects.exists()


def test_a_repeated_application_for_the_same_organisation_is_flagged_not_duplicated(client):
    client.post("/members/join/", APPLICATION)
    client.post("/members/join/", {**APPLICATION, "name": "cluster watch LAOS", "contact_email": "other@example.org"})

    application = MembershipApplication.objects.get()
    assert Organisation.objects.count() == 1
    assert application.times_submitted == 2
    assert "Applied again" in application.flag


def test_an_application_from_an_existing_member_is_flagged_for_staff(client, carol):
    OrganisationFactory(name="Cluster Watch Laos", slug="cluster-watch-laos")

    client.post("/members/join/", APPLICATION)

    application = MembershipApplication.objects.get()
    assert Organisation.objects.count() == 1
    assert "already on record" in application.flag
    client.force_login(carol)
    assert "already on record" in client.get("/members/staff/applications/").text


def test_a_bot_that_fills_the_honeypot_sees_the_same_page_and_nothing_is_stored(client):
    response = client.post("/members/join/", {**APPLICATION, "fax_number": "+1 555 0100"})

    assert response.status_code == 302 and response["Location"] == "/members/join/thanks/"
    assert not Organisation.objects.exists()
    assert not Email.objects.exists()


def test_applications_are_rate_limited_per_address(client, settings):
    settings.MEMBERS_APPLICATION_RATE_PER_EMAIL = "2/d"
    for n in range(2):
        client.post("/members/join/", {**APPLICATION, "name": f"Org {n}"})

    response = client.post("/members/join/", {**APPLICATION, "name": "Org 3"})

    assert response.status_code == 429
    assert "Too many applications" in response.text
    assert MembershipApplication.objects.count() == 2


def test_applications_are_rate_limited_per_client_ip(client, settings):
    settings.MEMBERS_APPLICATION_RATE_PER_IP = "1/d"
    client.post("/members/join/", APPLICATION)

    response = client.post("/members/join/", {**APPLICATION, "name": "Other", "contact_email": "x@example.org"})

    assert response.status_code == 429
    assert MembershipApplication.objects.count() == 1


def test_the_form_needs_a_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/members/join/", APPLICATION)

    assert response.status_code == 403


def test_staff_approve_and_the_contact_becomes_the_editor(client, carol, post_and_send):
    application = ApplicationFactory(contact_email="ana@example.org", contact_name="Ana Applicant")
    client.force_login(carol)
    assert application.organisation.name in client.get("/members/staff/applications/").text

    response = post_and_send(
        f"/members/staff/applications/{application.pk}/", {"decision": "approve", "message": "Welcome aboard!"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    organisation = application.organisation
    organisation.refresh_from_db()
    assert application.status == "approved" and application.decided_by == carol
    assert organisation.status == "member" and organisation.joined_on is not None
    change = organisation.status_changes.get(to_status="member")
    assert change.changed_by == carol and change.from_status == "applicant"
    editor = User.objects.get(email="ana@example.org")
    assert editor in organisation.editors.all()
    assert editor.groups.filter(name=Role.ORGANISATION_EDITOR).exists()
    [message] = OutboxMessage.objects.filter(to="ana@example.org")
    assert "Welcome aboard!" in message.body_text
    assert "/accounts/reset/" in message.body_text  # a link to choose a password
    assert organisation.name in client.get("/members/").text


def test_staff_reject_with_a_message_the_applicant_receives(client, carol, post_and_send):
    application = ApplicationFactory(contact_email="ana@example.org")
    client.force_login(carol)

    post_and_send(
        f"/members/staff/applications/{application.pk}/",
        {"decision": "reject", "message": "Please apply with your national campaign."},
    )

    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.organisation.status == "applicant"
    [message] = OutboxMessage.objects.filter(to="ana@example.org")
    assert "Please apply with your national campaign." in message.body_text
    assert not User.objects.filter(email="ana@example.org").exists()


def test_a_rejection_needs_a_message(client, carol):
    application = ApplicationFactory()
    client.force_login(carol)

    response = client.post(f"/members/staff/applications/{application.pk}/", {"decision": "reject", "message": ""})

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "pending"


def test_an_application_decided_twice_keeps_the_first_decision(client, carol, alice):
    application = ApplicationFactory()
    client.force_login(carol)
    client.post(f"/members/staff/applications/{application.pk}/", {"decision": "approve", "message": ""})

    client.force_login(alice)
    client.post(f"/members/staff/applications/{application.pk}/", {"decision": "reject", "message": "No"})

    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == carol
    assert Email.objects.filter(subject__icontains="Your application").count() == 0


def test_only_staff_with_the_permission_review_applications(client, sam):
    application = ApplicationFactory()

    anonymous = client.get("/members/staff/applications/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(sam)
    assert client.get("/members/staff/applications/").status_code == 403
    post = client.post(f"/members/staff/applications/{application.pk}/", {"decision": "approve"})
    assert post.status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"


def test_an_editor_role_alone_does_not_allow_reviewing(client, edna):
    client.force_login(edna)

    assert client.get("/members/staff/applications/").status_code == 403
    assert Group.objects.get(name=Role.ORGANISATION_EDITOR).permissions.count() == 0


def test_staff_see_that_the_organisation_already_exists_and_who_edits_it(client, carol, edna, org_a):
    client.post("/members/join/", {**APPLICATION, "name": org_a.name, "contact_email": "mallory@example.org"})
    application = MembershipApplication.objects.get(organisation=org_a)
    client.force_login(carol)

    page = client.get(f"/members/staff/applications/{application.pk}/").text

    assert "This organisation already exists" in page
    assert edna.email in page
    assert "I have checked that the applicant speaks for this organisation" in page


def test_approving_an_application_for_an_existing_organisation_needs_the_extra_confirmation(client, carol, edna, org_a):
    client.post("/members/join/", {**APPLICATION, "name": org_a.name, "contact_email": "mallory@example.org"})
    application = MembershipApplication.objects.get(organisation=org_a)
    client.force_login(carol)
    url = f"/members/staff/applications/{application.pk}/"

    refused = client.post(url, {"decision": "approve", "message": ""})

    assert refused.status_code == 400
    assert "already exists" in refused.text and "tick the box" in refused.text
    application.refresh_from_db()
    assert application.status == "pending"
    assert list(org_a.editors.all()) == [edna]
    assert not User.objects.filter(email="mallory@example.org").exists()

    approved = client.post(url, {"decision": "approve", "message": "", "confirm_existing": "on"})

    assert approved.status_code == 302
    assert set(org_a.editors.values_list("email", flat=True)) == {edna.email, "mallory@example.org"}


def test_a_new_organisations_application_is_approved_without_the_extra_confirmation(client, carol):
    client.post("/members/join/", APPLICATION)
    application = MembershipApplication.objects.get()
    client.force_login(carol)

    page = client.get(f"/members/staff/applications/{application.pk}/").text
    response = client.post(f"/members/staff/applications/{application.pk}/", {"decision": "approve"})

    assert "already exists" not in page and "confirm_existing" not in page
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
