"""Decisions on events leave one audit entry each: staff publish, send back or cancel; organisers create, change,
submit, cancel and check people in; an attendee is named by number only (decision 0011)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.core.tests.audit_trail import assert_one_entry, entry_text, recorded
from coalition.events.models import RSVP, Event
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.events.tests.test_moderation import _form

pytestmark = pytest.mark.django_db


def test_publishing_an_event_is_recorded(client, carol, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED)
    client.force_login(carol)

    with recorded() as entries:
        client.post(reverse("events:review", args=[event.pk]), {"decision": "publish"})

    entry = assert_one_entry(entries, by=carol, action="event.publish", target=event)
    assert entry.object_label == event.title
    assert entry.detail == {"status": ["submitted", "published"]}


def test_sending_an_event_back_is_recorded_with_the_comment(client, carol, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED)
    client.force_login(carol)

    with recorded() as entries:
        client.post(reverse("events:review", args=[event.pk]), {"decision": "send_back", "comment": "Add the venue."})

    entry = assert_one_entry(entries, by=carol, action="event.send_back", target=event)
    assert entry.detail == {"comment": "Add the venue."}


def test_a_refused_moderation_records_nothing(client, carol, org_a):
    event = EventFactory(organisation=org_a, status=Event.Status.SUBMITTED)
    client.force_login(carol)

    with recorded() as entries:
        client.post(reverse("events:review", args=[event.pk]), {"decision": "send_back", "comment": " "})

    assert entries == []


def test_cancelling_an_event_is_recorded_with_the_reason(client, edna, org_a):
    event = EventFactory(organisation=org_a)
    client.force_login(edna)

    with recorded() as entries:
        client.post(reverse("events:cancel", args=[event.pk]), {"reason": "The venue closed."})

    entry = assert_one_entry(entries, by=edna, action="event.cancel", target=event)
    assert entry.detail == {"reason": "The venue closed.", "was_public": True}


def test_creating_changing_and_submitting_an_event_are_recorded(client, edna, org_a):
    client.force_login(edna)

    with recorded() as created:
        client.post(reverse("events:create"), _form(organiser=org_a.pk))
    event = Event.objects.get()
    with recorded() as changed:
        client.post(reverse("events:edit", args=[event.pk]), _form(title="Debate in Bergen", city="Bergen"))
    with recorded() as submitted:
        client.post(reverse("events:submit", args=[event.pk]))

    assert_one_entry(created, by=edna, action="event.create", target=event)
    entry = assert_one_entry(changed, by=edna, action="event.update", target=event)
    assert entry.detail == {
        "fields": {"title": ["Debate: banning cluster munitions", "Debate in Bergen"], "city": ["Oslo", "Bergen"]}
    }
    assert_one_entry(submitted, by=edna, action="event.submit", target=event)


def test_checking_someone_in_is_recorded_without_their_name(client, edna, org_a):
    event = EventFactory(organisation=org_a)
    ana = RSVPFactory(event=event, name="Ana Attendee", email="ana.attendee@example.org")
    client.force_login(edna)
    url = reverse("events:attendees", args=[event.pk])

    with recorded() as checked_in:
        client.post(url, {"rsvp": ana.pk})
    with recorded() as undone:
        client.post(url, {"rsvp": ana.pk, "undo": "on"})

    entry = assert_one_entry(checked_in, by=edna, action="rsvp.check_in", target=ana)
    assert entry.object_label == f"rsvp #{ana.pk}"
    assert "Ana" not in entry_text(entry) and "ana.attendee" not in entry_text(entry)
    assert_one_entry(undone, by=edna, action="rsvp.undo_check_in", target=ana)
    assert RSVP.objects.get(pk=ana.pk).checked_in_at is None
