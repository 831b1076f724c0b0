"""Editors create events for their own organisation; staff publish them or send them back with a comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory, event_form_data

pytestmark = pytest.mark.django_db


def _form(**overrides):
    place = {"venue": "Litteraturhuset", "address": "Wergelandsveien 29", "city": "Oslo", "country": "NO"}
    return event_form_data(**{**place, "capacity": "40", **overrides})


def test_an_editor_creates_a_draft_that_the_public_cannot_see(client, edna, org_a):
    client.force_login(edna)

    response = client.post(reverse("events:create"), _form(organiser=org_a.pk))

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.status == Event.Status.DRAFT
    assert event.organisation == org_a
    assert event.created_by == edna
    assert event.starts_local.hour == 18 and str(event.starts_local.tzinfo) == "Europe/Oslo"
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Debate: banning" not in client.get("/events/").text


def test_an_event_that_ends_before_it_starts_is_refused_and_nothing_is_stored(client, edna, org_a):
    client.force_login(edna)

    response = client.post(
        reverse("events:create"), _form(organiser=org_a.pk, ends_at=_form()["starts_at"].replace("T18", "T17"))
    )

    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    assert not Event.objects.exists()


def test_an_editor_cannot_create_events_for_another_organisation(client, edna, org_b):
    client.force_login(edna)

    response = client.post(reverse("events:create"), _form(organiser=org_b.pk))

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Event.objects.exists()


def test_someone_who_edits_no_organisation_cannot_create_events(client, sam):
    client.force_login(sam)

    assert client.get(reverse("events:create")).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("events:create"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_editor_submits_and_staff_publish_and_the_editor_is_told(client, edna, carol, org_a, emails):
    event = EventFactory(organisation=org_a, status=Event.Status.DRAFT, created_by=edna, published_at=None)
    client.force_login(edna)
    client.post(reverse("events:submit", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED

    client.force_login(carol)
    assert event.title in client.get(reverse("events:review-queue")).text
    response = client.post(reverse("events:review", args=[event.pk]), {"decision": "publish"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.published_at is not None
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 200
    assert event.title in client.get("/events/").text
    assert [e.to for e in emails()] == [edna.email]
    assert "Published" in emails()[0].subject


def test_staff_send_an_event_back_with_a_comment_the_editor_reads(client, edna, carol, org_a, emails):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED, created_by=edna)
    client.force_login(carol)

    client.post(reverse("events:review", args=[event.pk]), {"decision": "send_back", "comment": "Add the venue."})

    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    assert event.moderation_note == "Add the venue."
    assert "Add the venue." in emails(edna.email)[0].body_text
    client.force_login(edna)
    assert "Add the venue." in client.get(event.get_absolute_url()).text


def test_sending_back_without_a_comment_is_refused(client, carol, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED)
    client.force_login(carol)

    response = client.post(reverse("events:review", args=[event.pk]), {"decision": "send_back", "comment": " "})

    assert "Say what the organisers should change." in response.text
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED


def test_editors_cannot_publish_their_own_events(client, edna, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED)
    client.force_login(edna)

    assert client.post(reverse("events:review", args=[event.pk]), {"decision": "publish"}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED


def test_an_editor_of_another_organisation_cannot_edit_or_see_the_draft(client, bruno, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.DRAFT)
    client.force_login(bruno)

    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:submit", args=[event.pk])).status_code == 403
    assert client.get(event.get_absolute_url()).status_code == 404


def test_an_editor_edits_the_time_in_the_events_own_zone(client, edna, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.DRAFT)
    client.force_login(edna)
    form = client.get(reverse("events:edit", args=[event.pk])).text
    assert event.starts_local.strftime("%Y-%m-%dT%H:%M") in form

    day = event.starts_local.strftime("%Y-%m-%d")
    response = client.post(
        reverse("events:edit", args=[event.pk]),
        _form(starts_at=f"{day}T09:30", ends_at=f"{day}T11:00", timezone="America/Bogota"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.timezone == "America/Bogota"
    assert event.starts_local.strftime("%H:%M") == "09:30"
    assert event.starts_at.utcoffset() == timedelta(0)
    assert (event.starts_at.astimezone(event.zone).utcoffset()) == timedelta(hours=-5)


def test_co_hosts_and_promoters_are_shown_and_the_event_is_listed_under_them(client, edna, org_a, org_b):
    client.force_login(edna)
    client.post(reverse("events:create"), _form(organiser=org_a.pk, co_hosts=[org_b.pk]))
    event = Event.objects.get()
    event.status = Event.Status.PUBLISHED
    event.save()
    client.logout()

    assert "Beta Relief" in client.get(event.get_absolute_url()).text
    assert event.title in client.get("/events/?organisation=beta-relief").text
