"""What visitors see: the list with filters and map, the month calendar, an event's page, the home page;
each at a fixed number of queries whatever the number of events and replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.events.models import RSVP, Event
from coalition.events.tests.factories import EventFactory, PartnerFactory, RSVPFactory
from coalition.lib.tests.pages import assert_filters
from coalition.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _many(n, **kwargs):
    organisations = OrganisationFactory.create_batch(3)
    events = [
        EventFactory(organisation=organisations[i % 3], country=["NO", "LB", "KH"][i % 3], **kwargs) for i in range(n)
    ]
    for event in events[:5]:
        PartnerFactory(event=event, organisation=organisations[(events.index(event) + 1) % 3])
        RSVPFactory.create_batch(3, event=event)
    return events


def test_the_list_shows_upcoming_published_events_soonest_first_and_hides_drafts(client):
    later = EventFactory(title="Later meeting", starts_at=timezone.now() + timedelta(days=30))
    sooner = EventFactory(title="Sooner meeting", starts_at=timezone.now() + timedelta(days=3))
    EventFactory(title="Draft meeting", status=Event.Status.DRAFT)
    EventFactory(title="Submitted meeting", status=Event.Status.SUBMITTED)
    EventFactory(title="Old meeting", starts_at=timezone.now() - timedelta(days=30))

    html = client.get("/events/").text

    assert html.index(sooner.title) < html.index(later.title)
    for hidden in ["Draft meeting", "Submitted meeting", "Old meeting"]:
        assert hidden not in html


def test_past_events_are_listed_latest_first(client):
    EventFactory(title="Last month", starts_at=timezone.now() - timedelta(days=30))
    EventFactory(title="Last week", starts_at=timezone.now() - timedelta(days=7))
    EventFactory(title="Next week", starts_at=timezone.now() + timedelta(days=7))

    html = client.get("/events/?when=past").text

    assert html.index("Last week") < html.index("Last month")
    assert "Next week" not in html


def test_the_list_filters_by_country_kind_organisation_and_dates(client):
    alpha = OrganisationFactory(slug="alpha")
    in_ten_days = timezone.now() + timedelta(days=10)
    EventFactory(title="Oslo debate", country="NO", kind="debate", organisation=alpha, starts_at=in_ten_days)
    EventFactory(title="Beirut exhibition", country="LB", kind="exhibition", starts_at=in_ten_days)
    EventFactory(title="Far vigil", country="LB", kind="vigil", starts_at=in_ten_days + timedelta(days=60))

    day = in_ten_days.date().isoformat()
    shown_and_hidden = {
        "country=LB": ("Beirut exhibition", "Oslo debate"),
        "kind=debate": ("Oslo debate", "Beirut exhibition"),
        "organisation=alpha": ("Oslo debate", "Beirut exhibition"),
        f"date_from={day}&date_to={day}": ("Beirut exhibition", "Far vigil"),
    }
    assert_filters(client, "/events/", shown_and_hidden)


def test_a_date_range_that_ends_before_it_starts_gets_a_clear_message(client):
    response = client.get("/events/?date_from=2030-05-02&date_to=2030-05-01")

    assert response.status_code == 200
    assert "The end of the range is before its start." in response.text


def test_the_map_puts_each_event_at_its_venue_and_needs_no_internet(client):
    EventFactory(title="Oslo debate", country="NO", city="Oslo", latitude=59.91, longitude=10.75)
    EventFactory(title="Bergen vigil", country="NO", city="Bergen", latitude=None, longitude=None)
    EventFactory(
        title="Beirut meeting",
        country="LB",
        latitude=33.89,
        longitude=35.5,
        address_visibility=Event.AddressVisibility.ATTENDEES,
    )

    html = client.get("/events/").text

    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="world-map__marker') == 3
    # At the venue: Oslo, not Norway's centre (62 N, 10 E).
    assert 'aria-label="Oslo debate (Oslo)"' in svg and 'cx="190.75" cy="30.09"' in svg
    # No coordinates, or an address kept for attendees: the country's centre, drawn hollow and said so.
    assert svg.count("is-approximate") == 2
    assert 'cx="215.83" cy="56.17"' in svg and 'cx="215.5" cy="56.11"' not in svg  # Lebanon's centre, not Beirut
    assert "the exact place is not known or not public." in html
    assert "http" not in svg
    assert '<script src="/static/js/world-map.js" defer></script>' in html


def test_the_month_calendar_puts_an_event_on_its_local_day(client):
    # 00:30 in Oslo on 2 March is still 1 March in UTC: the calendar follows the event's clock.
    starts = datetime(2031, 3, 1, 23, 30, tzinfo=UTC)
    EventFactory(title="Midnight vigil", kind="vigil", starts_at=starts, ends_at=starts + timedelta(hours=1))

    html = client.get("/events/calendar/?month=2031-03").text

    assert "March 2031" in html
    cell = html.split('<span class="events-day">2</span>', 1)[1].split("</td>", 1)[0]
    assert "Midnight vigil" in cell
    assert "00:30" in cell or "12:30 a.m." in cell
    previous_day = html.split('<span class="events-day">1</span>', 1)[1].split("</td>", 1)[0]
    assert "Midnight vigil" not in previous_day


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1", "2031-13", "garbage", "2031-03-01"])
def test_the_calendar_answers_400_with_the_current_month_for_a_month_it_cannot_show(client, month):
    # 9999-12 and 0001-01 once failed with a server error: the month after or before is beyond Python's dates.
    response = client.get("/events/calendar/", {"month": month})

    assert response.status_code == 400
    assert "A month is written YYYY-MM, from 1900 to 2100: here is the current month instead." in response.text
    assert timezone.localdate().strftime("%B %Y") in response.text


def test_the_calendar_offers_no_link_beyond_the_months_it_shows(client):
    last = client.get("/events/calendar/", {"month": "2100-12"})
    first = client.get("/events/calendar/", {"month": "1900-01"})

    assert last.status_code == first.status_code == 200
    assert 'rel="next"' not in last.text and 'rel="prev"' in last.text
    assert 'rel="prev"' not in first.text and 'rel="next"' in first.text


def test_a_busy_calendar_day_links_to_the_rest(client):
    starts = datetime(2031, 5, 6, 10, 0, tzinfo=UTC)
    EventFactory.create_batch(6, starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="UTC")

    html = client.get("/events/calendar/?month=2031-05").text

    assert "2 more" in html
    assert "date_from=2031-05-06&amp;date_to=2031-05-06" in html


def test_an_events_page_shows_its_details_in_local_time_with_an_ics_link_and_a_share_link(client):
    starts = datetime(2031, 6, 10, 16, 0, tzinfo=UTC)  # 18:00 in Oslo (summer time)
    event = EventFactory(
        title="Exhibition: the harm done",
        description="See **the photos**.<script>alert(1)</script>",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        accessibility="Step-free entrance.",
        capacity=50,
    )

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "Exhibition: the harm done" in html
    assert "<strong>the photos</strong>" in html and "<script>alert" not in html
    assert "6 p.m.–8 p.m. CEST" in html
    assert "Wergelandsveien 29" in html
    assert "Step-free entrance." in html
    assert "50 of 50 places left" in html
    assert reverse("events:ics", args=[event.pk]) in html
    assert f"http://testserver{event.get_absolute_url()}" in html


def test_the_exact_address_is_hidden_from_the_public_when_the_organisers_say_so(client, edna, org_a):
    event = EventFactory(organisation=org_a, address_visibility="attendees", latitude=59.92, longitude=10.73)

    html = client.get(event.get_absolute_url()).text
    assert "Wergelandsveien 29" not in html and "Litteraturhuset" not in html
    assert "Oslo, Norway" in html
    assert "The exact address is sent to people with a confirmed place." in html
    assert "Wergelandsveien" not in client.get("/events/").text

    client.force_login(edna)
    assert "Wergelandsveien 29" in client.get(event.get_absolute_url()).text


def test_a_cancelled_event_stays_visible_with_a_notice_and_takes_no_replies(client):
    event = EventFactory(status=Event.Status.CANCELLED, cancellation_reason="The venue flooded.")

    html = client.get(event.get_absolute_url()).text

    assert "This event is cancelled." in html and "The venue flooded." in html
    assert 'action="/events/' not in html


def test_the_home_page_shows_the_next_events(client):
    EventFactory(title="Soonest event", starts_at=timezone.now() + timedelta(days=1))
    EventFactory(title="Draft event", status=Event.Status.DRAFT)

    html = client.get("/").text

    assert "Next events" in html
    assert "Soonest event" in html and "Draft event" not in html


@pytest.mark.parametrize(
    "url",
    ["/events/", "/events/?when=past", "/events/?country=NO&kind=public_meeting", "/events/calendar/", "/"],
)
def test_public_pages_run_the_same_number_of_queries_with_few_and_many_events(client, django_assert_num_queries, url):
    _many(2)
    EventFactory(starts_at=timezone.now() - timedelta(days=3))
    client.get(url)  # warm caches (content types, country names)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(60)
    EventFactory.create_batch(30, starts_at=timezone.now() - timedelta(days=3))

    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_an_events_page_runs_the_same_number_of_queries_with_few_and_many_replies(client, django_assert_num_queries):
    event = EventFactory(capacity=500)
    PartnerFactory(event=event)
    RSVPFactory.create_batch(2, event=event)
    client.get(event.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(event.get_absolute_url())
    RSVPFactory.create_batch(200, event=event)
    RSVPFactory.create_batch(20, event=event, status=RSVP.Status.WAITING)
    PartnerFactory.create_batch(5, event=event)
    EventFactory.create_batch(50)

    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(event.get_absolute_url()).status_code == 200
    assert len(few.captured_queries) <= 4


def test_a_visitor_gets_the_events_version_in_their_language_else_the_original_marked(client):
    event = EventFactory(
        title="Why the ban matters",
        language="en",
        translations={"fr": {"title": "Pourquoi l'interdiction compte", "description": "Une *soirée*."}},
    )

    path = event.get_absolute_url()
    french = client.get(f"/fr{path}")
    spanish = client.get(f"/es{path}")

    assert '<h1 lang="fr" dir="auto">Pourquoi l&#x27;interdiction compte</h1>' in french.text
    assert "<em>soirée</em>" in french.text
    assert '<h1 lang="en" dir="auto">Why the ban matters</h1>' in spanish.text
    assert "idioma original" in spanish.text, "a visible note says the original's language"


def test_the_lists_show_each_events_title_in_the_visitors_language_else_the_original_marked(client):
    event = EventFactory(title="Why the ban matters", language="en", translations={"fr": {"title": "Pourquoi"}})
    month = event.starts_local.strftime("%Y-%m")

    for path in ("/fr/events/", "/fr/", f"/fr/events/calendar/?month={month}"):
        html = client.get(path).text
        assert 'lang="fr" dir="auto">Pourquoi<' in html, path
    spanish = client.get("/es/events/").text
    assert 'lang="en" dir="auto">Why the ban matters<' in spanish


def test_an_organiser_writes_the_versions_in_the_event_form():
    from coalition.events.forms import EventForm

    event = EventFactory(language="en", translations={"ar": {"title": "لماذا الحظر مهم", "description": ""}})
    form = EventForm(instance=event, organisation=event.organisation)

    assert form["ar_title"].initial == "لماذا الحظر مهم"
    assert form.fields["ar_title"].widget.attrs == {"lang": "ar", "dir": "auto", "maxlength": "200"}


def test_the_map_names_each_event_in_the_readers_language(client):
    EventFactory(
        title="Oslo debate",
        language="en",
        translations={"fr": {"title": "Débat à Oslo", "description": ""}},
        country="NO",
        city="Oslo",
        latitude=59.91,
        longitude=10.75,
    )

    french = client.get("/fr/events/").text.split("<svg", 1)[1].split("</svg>", 1)[0]
    spanish = client.get("/es/events/").text.split("<svg", 1)[1].split("</svg>", 1)[0]

    assert 'aria-label="Débat à Oslo (Oslo)"' in french
    assert 'aria-label="Oslo debate (Oslo)"' in spanish  # no Spanish version: the original


def test_the_map_of_many_events_at_their_venues_runs_no_extra_query(client, django_assert_num_queries):
    _many(2, latitude=59.91, longitude=10.75)
    client.get("/events/")  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/events/")
    _many(60, latitude=33.89, longitude=35.5)

    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get("/events/").text
    assert html.count('class="world-map__marker"') == 62  # one per event, each at its venue
