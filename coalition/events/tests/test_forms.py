"""Bad input to the events forms gets a clear message and stores nothing (issue 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.events.models import RSVP, Event, EventReport, ReportPhoto
from coalition.events.tests.factories import EventFactory, event_form_data


def _event_form(organiser, **overrides):
    return event_form_data(organiser=organiser.pk, **overrides)


def _errors(response, field):
    return [str(message) for message in response.context["form"].errors.get(field, [])]


def test_an_event_with_an_unknown_time_zone_is_a_form_error(client, edna, org_a):
    # It once reached a server error: the times stayed without a zone and were compared with the clock.
    client.force_login(edna)

    response = client.post(reverse("events:create"), _event_form(org_a, timezone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    assert _errors(response, "timezone") == [
        "Select a valid choice. Mars/Olympus_Mons is not one of the available choices."
    ]
    assert not Event.objects.exists()


def test_an_event_description_of_a_million_characters_is_refused(client, edna, org_a):
    client.force_login(edna)

    response = client.post(reverse("events:create"), _event_form(org_a, description="x" * 1_000_000))

    assert _errors(response, "description") == ["Ensure this value has at most 20000 characters (it has 1000000)."]
    assert not Event.objects.exists()


def test_an_event_title_on_two_lines_is_refused(client, edna, org_a):
    client.force_login(edna)

    response = client.post(reverse("events:create"), _event_form(org_a, title="Debate\r\nBcc: x@example.org"))

    assert _errors(response, "title") == ["Write this on one line, without line breaks."]
    assert not Event.objects.exists()


def test_an_event_capacity_and_coordinates_beyond_sense_are_refused(client, edna, org_a):
    client.force_login(edna)

    response = client.post(
        reverse("events:create"), _event_form(org_a, capacity=str(10**23), latitude="91", longitude="-181")
    )

    assert _errors(response, "capacity") == ["Ensure this value is less than or equal to 1000000."]
    assert _errors(response, "latitude") == ["Ensure this value is less than or equal to 90."]
    assert _errors(response, "longitude") == ["Ensure this value is greater than or equal to -180."]
    assert not Event.objects.exists()


def test_a_co_host_named_by_an_id_no_database_holds_is_a_form_error(client, edna, org_a):
    # SQLite cannot compare such a number: it once failed with a server error.
    client.force_login(edna)

    response = client.post(reverse("events:create"), _event_form(org_a, co_hosts=["9" * 23]))

    assert _errors(response, "co_hosts") == [f"Select a valid choice. {'9' * 23} is not one of the available choices."]
    assert not Event.objects.exists()


@pytest.mark.parametrize("name", ["Ada\r\nLovelace", "Ada\nBcc: victim@example.org", "Ada\x00"])
def test_a_reply_from_a_name_on_two_lines_or_with_nul_is_refused(client, org_a, name):
    event = EventFactory(organisation=org_a)

    response = client.post(
        reverse("events:rsvp", args=[event.pk]), {"name": name, "email": "ada@example.org", "guests": "0"}
    )

    assert response.status_code == 400
    assert len(_errors(response, "name")) == 1
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("photo", ["", "1.5", "²", "9" * 30])
def test_removing_a_report_photo_named_by_garbage_removes_nothing(client, edna, org_a, photo):
    # Anything but a photo's id once reached a server error.
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(organisation=org_a, starts_at=start, ends_at=start + timedelta(hours=2))
    report = EventReport.objects.create(event=event, attendance=12)
    ReportPhoto.objects.create(report=report, image="events/reports/panel.png")
    client.force_login(edna)

    response = client.post(reverse("events:report", args=[event.pk]), {"delete_photo": photo})

    assert response.status_code == 302
    assert ReportPhoto.objects.count() == 1
