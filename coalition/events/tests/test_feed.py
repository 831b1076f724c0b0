"""The iCalendar feed and the single-event download, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory, PartnerFactory
from coalition.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar):
    return {str(component["summary"]): component for component in calendar.walk("VEVENT")}


def test_the_feed_keeps_each_events_time_zone_across_daylight_saving(client):
    winter = datetime(2031, 1, 15, 17, 0, tzinfo=UTC)  # 18:00 in Oslo (CET, UTC+1)
    summer = datetime(2031, 7, 15, 16, 0, tzinfo=UTC)  # 18:00 in Oslo (CEST, UTC+2)
    bogota = datetime(2031, 7, 15, 23, 0, tzinfo=UTC)  # 18:00 in Bogotá (UTC-5)
    EventFactory(title="Winter", starts_at=winter, ends_at=winter + timedelta(hours=2))
    EventFactory(title="Summer", starts_at=summer, ends_at=summer + timedelta(hours=2))
    EventFactory(title="Bogota", starts_at=bogota, ends_at=bogota + timedelta(hours=2), timezone="America/Bogota")

    calendar = _parse(client.get("/events/feed.ics"))
    events = _events(calendar)

    for title, utc_start, zone in [
        ("Winter", winter, "Europe/Oslo"),
        ("Summer", summer, "Europe/Oslo"),
        ("Bogota", bogota, "America/Bogota"),
    ]:
        start = events[title].decoded("dtstart")
        assert start.hour == 18, title
        assert events[title]["dtstart"].params["TZID"] == zone
        assert start == utc_start  # the same instant
        assert events[title].decoded("dtend") - start == timedelta(hours=2)
    zones = {str(component["tzid"]) for component in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Oslo", "America/Bogota"}
    # A client that only reads the VTIMEZONE (not its own database) gets the same offsets.
    assert b"BEGIN:VTIMEZONE" in client.get("/events/feed.ics").content


def test_the_feed_is_valid_enough_for_calendar_clients(client):
    event = EventFactory(title="Debate", latitude=59.92, longitude=10.73)

    raw = client.get("/events/feed.ics").content
    calendar = icalendar.Calendar.from_ical(raw)
    [vevent] = calendar.walk("VEVENT")

    assert calendar["version"] == "2.0" and calendar["prodid"]
    assert raw.count(b"\r\n") > 10  # CRLF line endings (RFC 5545 §3.1)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines
    assert str(vevent["uid"]) == f"event-{event.pk}@127.0.0.1"
    assert vevent.decoded("dtstamp").tzinfo is not None
    assert str(vevent["url"]).endswith(event.get_absolute_url())
    assert "Wergelandsveien 29" in str(vevent["location"])
    assert vevent["geo"].latitude == pytest.approx(59.92)
    assert str(vevent["status"]) == "CONFIRMED"


def test_the_feed_lists_published_and_cancelled_events_but_not_drafts_nor_old_ones(client):
    EventFactory(title="Published")
    EventFactory(title="Cancelled", status=Event.Status.CANCELLED)
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    EventFactory(title="Submitted", status=Event.Status.SUBMITTED)
    EventFactory(title="Long ago", starts_at=timezone.now() - timedelta(days=400))

    events = _events(_parse(client.get("/events/feed.ics")))

    assert set(events) == {"Published", "Cancelled"}
    assert str(events["Cancelled"]["status"]) == "CANCELLED"


def test_the_feed_filters_by_country_and_organisation_including_co_hosts(client):
    alpha = OrganisationFactory(slug="alpha")
    EventFactory(title="Oslo", country="NO")
    beirut = EventFactory(title="Beirut", country="LB")
    PartnerFactory(event=beirut, organisation=alpha)
    EventFactory(title="Alpha's own", country="KH", organisation=alpha)

    assert set(_events(_parse(client.get("/events/feed.ics?country=LB")))) == {"Beirut"}
    assert set(_events(_parse(client.get("/events/feed.ics?organisation=alpha")))) == {"Beirut", "Alpha's own"}


def test_a_hidden_address_stays_out_of_the_feed(client):
    EventFactory(title="Private place", address_visibility="attendees", latitude=59.92, longitude=10.73)

    [vevent] = _parse(client.get("/events/feed.ics")).walk("VEVENT")

    assert str(vevent["location"]) == "Oslo, Norway"
    assert "geo" not in vevent


def test_one_event_downloads_as_an_ics_file(client):
    event = EventFactory(title="Screening", timezone="Asia/Phnom_Penh")

    response = client.get(reverse("events:ics", args=[event.pk]))

    assert 'attachment; filename="event-' in response["Content-Disposition"]
    [vevent] = _parse(response).walk("VEVENT")
    assert vevent.decoded("dtstart").tzinfo == ZoneInfo("Asia/Phnom_Penh") or (
        vevent["dtstart"].params["TZID"] == "Asia/Phnom_Penh"
    )
    assert client.get(reverse("events:ics", args=[EventFactory(status="draft").pk])).status_code == 404


def test_the_feed_runs_the_same_number_of_queries_with_few_and_many_events(client, django_assert_num_queries):
    EventFactory.create_batch(2)
    client.get("/events/feed.ics")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/events/feed.ics")
    EventFactory.create_batch(80)

    with django_assert_num_queries(len(few.captured_queries)):
        calendar = _parse(client.get("/events/feed.ics"))
    assert len(calendar.walk("VEVENT")) == 82


def test_text_with_commas_semicolons_newlines_and_long_non_latin_titles_survives_the_round_trip(client):
    title = "نقاش: حظر الذخائر العنقودية, الآن; " * 4 + "Débat — «ensemble»"
    description = "Line one, with a comma; and a semicolon.\nLine two \\ backslash."
    EventFactory(title=title, description=description)

    raw = client.get("/events/feed.ics").content
    [vevent] = icalendar.Calendar.from_ical(raw).walk("VEVENT")

    assert str(vevent["summary"]) == title
    assert str(vevent["description"]) == description
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a character


def test_an_event_in_utc_is_written_without_a_time_zone_block(client):
    starts = datetime(2031, 2, 1, 9, 0, tzinfo=UTC)
    EventFactory(title="Online", timezone="UTC", starts_at=starts, ends_at=starts + timedelta(hours=1))

    calendar = _parse(client.get("/events/feed.ics"))

    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == starts
    assert calendar.walk("VTIMEZONE") == []
