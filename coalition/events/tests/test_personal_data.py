"""A supporter's replies to events in their data export and page; erasing them gives up their places at
events to come (the waiting list moves up) and leaves past replies counted but anonymous."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.core.audit import Actor
from coalition.core.models import OutboxMessage
from coalition.events import selectors, services
from coalition.events.models import RSVP
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.members import services as members_services
from coalition.members.models import Supporter
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def _erase(email: str) -> None:
    members_services.supporter_erase(supporter=Supporter.objects.get(email=email), by=Actor.SUBJECT)


def _data_page(email: str) -> str:
    supporter = Supporter.objects.get(email=email)
    return f"/members/my-data/{members_services.supporter_token(supporter, salt=members_services.DATA_LINK_SALT)}/"


def test_erasure_gives_up_places_at_events_to_come_and_the_waiting_list_moves_up(
    client, edna, org_a, emails, outbox_backend, run_tasks
):
    SupporterFactory(email="ana@example.org", name="Ana Attendee")
    event = EventFactory(organisation=org_a, title="Debate in Oslo", capacity=2)
    ana = services.rsvp_create(event=event, name="Ana Attendee", email="Ana@Example.org", guests=1)
    bo = services.rsvp_create(event=event, name="Bo Waiting", email="bo@example.org")
    assert (ana.status, bo.status) == (RSVP.Status.CONFIRMED, RSVP.Status.WAITING)

    _erase("ana@example.org")
    run_tasks()

    ana.refresh_from_db()
    assert ana.status == RSVP.Status.CANCELLED and ana.cancelled_at is not None
    assert (ana.name, ana.email, ana.guests) == ("", "", 1)
    bo.refresh_from_db()
    assert bo.status == RSVP.Status.CONFIRMED, "the freed places went to the waiting list"
    event.refresh_from_db()
    assert event.places_taken == 1
    assert any("A place freed up" in email.subject for email in emails("bo@example.org"))
    assert not OutboxMessage.objects.filter(to__icontains="ana").exists(), "her confirmation is gone too"
    client.force_login(edna)
    attendees = client.get(reverse("events:attendees", args=[event.pk]) + "?format=csv")
    listed = b"".join(attendees.streaming_content).decode()
    assert "bo@example.org" in listed and "Ana" not in listed and "ana@" not in listed


def test_past_replies_stay_counted_without_the_people_who_erased_their_data(db):
    event = EventFactory(starts_at=timezone.now() - timedelta(days=3), title="Exhibition in Beirut")
    for email in ("ana@example.org", "lina@example.org"):
        SupporterFactory(email=email)
        RSVPFactory(event=event, email=email, name=email.split("@")[0], checked_in_at=event.starts_at)
    RSVPFactory(event=event, email="bo@example.org", name="Bo")
    counts = selectors.rsvp_counts(event)

    _erase("ana@example.org")
    _erase("lina@example.org")  # two erased replies to one event share the blank address

    assert selectors.rsvp_counts(event) == counts == {"confirmed": 3, "waiting": 0, "cancelled": 0, "checked_in": 2}
    assert sorted(RSVP.objects.values_list("name", "email")) == [("", ""), ("", ""), ("Bo", "bo@example.org")]


def test_cancelling_an_event_writes_to_nobody_who_erased_their_data(db, emails, carol):
    event = EventFactory(capacity=5)
    SupporterFactory(email="ana@example.org")
    services.rsvp_create(event=event, name="Ana", email="ana@example.org")
    services.rsvp_create(event=event, name="Bo", email="bo@example.org")
    # Past replies are kept confirmed after erasure; this one is blanked as if the event had started.
    RSVP.objects.filter(email="ana@example.org").update(name="", email="")

    services.event_cancel(event=event, by=carol, reason="Venue closed")

    assert [email.to for email in emails() if "cancelled" in email.subject.lower()] == ["bo@example.org"]


def test_the_export_lists_the_replies_with_event_status_and_guests(client):
    SupporterFactory(email="ana@example.org")
    services.rsvp_create(
        event=EventFactory(title="Debate in Oslo"), name="Ana Attendee", email="ana@example.org", guests=2
    )
    cancelled = services.rsvp_create(event=EventFactory(title="Film in Geneva"), name="Ana", email="ana@example.org")
    services.rsvp_cancel(rsvp=cancelled)
    services.rsvp_create(event=EventFactory(title="Someone else's"), name="Bo", email="bo@example.org")

    download = json.loads(client.get(_data_page("ana@example.org") + "?format=json").content)
    page = client.get(_data_page("ana@example.org")).text

    replies = download["event_replies"]
    assert [(r["event"], r["status"], r["guests"]) for r in replies] == [
        ("Debate in Oslo", "confirmed", 2),
        ("Film in Geneva", "cancelled", 0),
    ]
    assert replies[0]["name"] == "Ana Attendee" and replies[0]["starts_at"] and replies[1]["cancelled_at"]
    assert "Your replies to events" in page and "Debate in Oslo" in page and "You and 2 guests" in page
    assert "Someone else" not in page


def test_after_erasure_the_links_in_the_persons_old_emails_open_nothing(client, db):
    SupporterFactory(email="ana@example.org")
    coming = services.rsvp_create(event=EventFactory(), name="Ana", email="ana@example.org")
    past = RSVPFactory(event=EventFactory(starts_at=timezone.now() - timedelta(days=3)), email="ana@example.org")
    old_links = [services.rsvp_manage_url(reply).removeprefix("http://127.0.0.1:8000") for reply in (coming, past)]
    assert all(client.get(link).status_code == 200 for link in old_links)

    _erase("ana@example.org")

    for link in old_links:
        response = client.get(link)
        assert response.status_code == 404 and "This link no longer works" in response.text
    tokens = set(RSVP.objects.values_list("token", flat=True))
    assert len(tokens) == 2 and not tokens & {coming.token, past.token}
