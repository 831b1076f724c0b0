"""`/api/v1/events/`: published events for everyone, no personal data, hidden addresses stay hidden."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory, PartnerFactory, RSVPFactory
from coalition.lib.tests.helpers import body

pytestmark = pytest.mark.django_db


def test_the_public_gets_published_and_cancelled_events_only(client):
    EventFactory(title="Published")
    EventFactory(title="Cancelled", status=Event.Status.CANCELLED)
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    EventFactory(title="Submitted", status=Event.Status.SUBMITTED)

    data = client.get("/api/v1/events/").json()

    assert sorted(row["title"] for row in data["results"]) == ["Cancelled", "Published"]
    assert client.get("/api/v1/events/?status=draft").json()["results"] == []


def test_staff_also_see_drafts(client, carol):
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    client.force_login(carol)

    assert [row["title"] for row in client.get("/api/v1/events/?status=draft").json()["results"]] == ["Draft"]


def test_an_event_has_its_local_times_counts_and_no_personal_data(client):
    starts = datetime(2031, 7, 15, 16, 0, tzinfo=UTC)
    event = EventFactory(capacity=20, starts_at=starts, ends_at=starts + timedelta(hours=2))
    PartnerFactory(event=event)
    RSVPFactory(event=event, guests=2, email="secret@example.org")
    event.places_taken = 3
    event.save()

    row = client.get(f"/api/v1/events/{event.pk}/").json()

    assert row["starts_at_local"] == "2031-07-15T18:00:00+02:00"
    assert row["timezone"] == "Europe/Oslo"
    assert (row["capacity"], row["places_taken"], row["places_left"]) == (20, 3, 17)
    assert len(row["co_hosts"]) == 1
    assert row["ics_url"].endswith(f"/events/{event.pk}/event.ics")
    assert "secret@example.org" not in str(row)


def test_a_hidden_address_is_null_in_the_api(client):
    EventFactory(address_visibility="attendees", latitude=59.9, longitude=10.7)

    [row] = client.get("/api/v1/events/").json()["results"]

    assert row["address"] is None and row["venue"] is None and row["latitude"] is None
    assert row["city"] == "Oslo"


def test_the_api_filters_and_answers_csv(client):
    EventFactory(title="Oslo", country="NO")
    EventFactory(title="Beirut", country="LB")

    assert [r["title"] for r in client.get("/api/v1/events/?country=LB").json()["results"]] == ["Beirut"]
    assert client.get("/api/v1/events/?starts_after=not-a-date").status_code == 400
    csv = body(client.get("/api/v1/events/?format=csv"))
    assert csv.startswith("id,title,kind,status")


def test_the_list_runs_the_same_number_of_queries_with_few_and_many_events(client, django_assert_num_queries):
    for _ in range(2):
        PartnerFactory(event=EventFactory())
    with django_assert_num_queries(3):  # count, page, partners
        client.get("/api/v1/events/")
    for _ in range(40):
        PartnerFactory(event=EventFactory())
    with django_assert_num_queries(3):
        client.get("/api/v1/events/")
