"""People who replied are told when a published event moves, changes place or format, or is cancelled: one
e-mail each, saying what changed in their language and the event's own time, with a calendar file that
updates (or removes) the event in their calendar through the same UID and a higher SEQUENCE."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coalition.core.models import Email
from coalition.events import organising, services
from coalition.events.models import RSVP, Event
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.events.tests.test_moderation import _form

pytestmark = pytest.mark.django_db

OSLO_EVENING = dict(title="Debate in Oslo", capacity=2, timezone="Europe/Oslo")


@pytest.fixture
def event(org_a):
    start = (timezone.now() + timedelta(days=20)).replace(hour=17, minute=0, second=0, microsecond=0)  # 18:00 CET
    event = EventFactory(organisation=org_a, starts_at=start, ends_at=start + timedelta(hours=2), **OSLO_EVENING)
    services.rsvp_create(event=event, name="Ana Attendee", email="ana@example.org", language="fr")
    services.rsvp_create(event=event, name="Bo Confirmed", email="bo@example.org")
    services.rsvp_create(event=event, name="Wim Waiting", email="wim@example.org")
    gone = services.rsvp_create(event=EventFactory(), name="Cy", email="cy@example.org")
    RSVPFactory(event=event, name="Cy Cancelled", email="cy@example.org", status=RSVP.Status.CANCELLED)
    RSVPFactory(event=event, name="", email="", status=RSVP.Status.CONFIRMED, guests=0)  # erased their data
    assert gone.status == RSVP.Status.CONFIRMED
    Email.objects.all().delete()
    return Event.objects.get(pk=event.pk)


def _one_vevent(body: bytes | str) -> icalendar.cal.Component:
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return vevent


def _attachment(email: Email) -> icalendar.Calendar:
    [attachment] = email.attachments
    assert attachment["filename"].endswith(".ics") and attachment["mimetype"] == "text/calendar"
    return icalendar.Calendar.from_ical(attachment["content"])


def _calendars(client, event: Event) -> list[icalendar.cal.Component]:
    feed = [v for v in icalendar.Calendar.from_ical(client.get("/events/feed.ics").content).walk("VEVENT")]
    return [v for v in feed if str(v["uid"]) == f"event-{event.pk}@127.0.0.1"] + [
        _one_vevent(client.get(reverse("events:ics", args=[event.pk])).content)
    ]


def test_moving_an_event_by_an_hour_tells_each_person_once_and_calendars_take_the_new_time(
    client, edna, event, run_tasks
):
    before = _calendars(client, event)
    assert len(before) == 2 and {int(v["sequence"]) for v in before} == {0}
    client.force_login(edna)
    day = event.starts_local.strftime("%Y-%m-%d")

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        _form(title=event.title, starts_at=f"{day}T19:00", ends_at=f"{day}T21:00", capacity="2"),
    )

    assert response.status_code == 302
    emails = list(Email.objects.order_by("to"))
    assert [email.to for email in emails] == ["ana@example.org", "bo@example.org", "wim@example.org"]
    ana, bo, wim = emails
    assert bo.subject == "Changed: “Debate in Oslo”"
    assert "6 p.m.–8 p.m. CET (Europe/Oslo) → " in bo.body_text and ", 7 p.m.–9 p.m. CET (Europe/Oslo)" in bo.body_text
    assert "Where:" not in bo.body_text, "only what changed is listed"
    assert ana.subject == "Modifié : « Debate in Oslo »" and "19:00–21:00" in ana.body_text
    assert "still on the waiting list" in wim.body_text and "still on the waiting list" not in bo.body_text
    for email in emails:
        [sent] = _attachment(email).walk("VEVENT")
        assert str(sent["uid"]) == f"event-{event.pk}@127.0.0.1" and int(sent["sequence"]) == 1
        assert sent.decoded("dtstart").strftime("%H:%M %Z") == "19:00 CET"
        assert str(_attachment(email)["method"]) == "PUBLISH"
    after = _calendars(client, event)
    assert [str(v["uid"]) for v in after] == [str(v["uid"]) for v in before]
    assert [int(v["sequence"]) for v in after] == [1, 1]
    assert after[1].decoded("dtstart").strftime("%H:%M") == "19:00"

    run_tasks()
    delivered = {message.to[0]: message for message in mail.outbox}
    assert sorted(delivered) == ["ana@example.org", "bo@example.org", "wim@example.org"]
    [(filename, content, mimetype)] = delivered["bo@example.org"].attachments
    assert (filename, mimetype) == (f"event-{event.pk}.ics", "text/calendar")
    assert int(_one_vevent(content)["sequence"]) == 1


def test_cancelling_sends_one_email_each_with_a_file_that_removes_the_event(client, carol, event):
    organising.event_cancel(event=event, by=carol, reason="The venue flooded.")

    emails = list(Email.objects.order_by("to"))
    assert [email.to for email in emails] == ["ana@example.org", "bo@example.org", "wim@example.org"]
    for email in emails:
        calendar = _attachment(email)
        [vevent] = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "CANCEL" and str(vevent["status"]) == "CANCELLED"
        assert str(vevent["uid"]) == f"event-{event.pk}@127.0.0.1" and int(vevent["sequence"]) == 1
        assert "mailto:" in str(vevent["organizer"])
        assert "removes the event from your calendar" in email.body_text or "retire l'événement" in email.body_text
    assert [(str(v["status"]), int(v["sequence"])) for v in _calendars(client, event)] == [("CANCELLED", 1)] * 2


def test_an_edit_of_the_description_or_title_sends_nothing_and_keeps_the_revision(event, edna):
    organising.event_update(event=event, data={"description": "Now with *two* speakers.", "title": "Debate!"}, by=edna)

    event.refresh_from_db()
    assert event.sequence == 0 and event.description == "Now with *two* speakers."
    assert not Email.objects.exists()


def test_saving_the_form_with_a_new_description_only_sends_nothing(client, edna, event):
    client.force_login(edna)
    form = client.get(reverse("events:edit", args=[event.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        starts_at=event.starts_local.strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.ends_local.strftime("%Y-%m-%dT%H:%M"),
        description="A typo fixed.",
    )

    assert client.post(reverse("events:edit", args=[event.pk]), data).status_code == 302

    event.refresh_from_db()
    assert event.description == "A typo fixed." and event.sequence == 0
    assert not Email.objects.exists()


def test_a_new_venue_is_told_and_the_hidden_address_goes_to_confirmed_people_only(event, edna):
    Event.objects.filter(pk=event.pk).update(address_visibility=Event.AddressVisibility.ATTENDEES)
    event.refresh_from_db()

    organising.event_update(
        event=event, data={"venue": "Deichman Bjørvika", "address": "Anne-Cath. Vestlys plass 1"}, by=edna
    )

    assert sorted(Email.objects.values_list("to", flat=True)) == ["ana@example.org", "bo@example.org"]
    bo = Email.objects.get(to="bo@example.org")
    assert "Litteraturhuset, Wergelandsveien 29, Oslo, Norway → Deichman Bjørvika, Anne-Cath. Vestlys plass 1" in (
        bo.body_text
    )
    assert "Anne-Cath. Vestlys plass 1" in str(_one_vevent(bo.attachments[0]["content"])["location"])
    event.refresh_from_db()
    assert event.sequence == 1


def test_going_online_is_told(event, edna):
    organising.event_update(event=event, data={"online_url": "https://meet.example.org/debate"}, by=edna)

    bo = Email.objects.get(to="bo@example.org")
    assert "Online: — → https://meet.example.org/debate" in bo.body_text
    assert Email.objects.count() == 3


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.SUBMITTED])
def test_changes_to_an_unpublished_event_write_to_nobody(org_a, edna, status):
    event = EventFactory(organisation=org_a, status=status)
    RSVPFactory(event=event, email="ana@example.org")

    organising.event_update(event=event, data={"starts_at": event.starts_at + timedelta(hours=1)}, by=edna)

    assert not Email.objects.exists()


def test_correcting_the_time_of_an_event_that_is_over_writes_to_nobody(org_a, edna):
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(organisation=org_a, starts_at=start, ends_at=start + timedelta(hours=2))
    RSVPFactory(event=event, email="ana@example.org")

    organising.event_update(event=event, data={"ends_at": start + timedelta(hours=3)}, by=edna)

    assert not Email.objects.exists()
    event.refresh_from_db()
    assert event.sequence == 1, "the calendars that still hold it take the right time"


def _admin_form_data(client, event: Event, **changes) -> dict:
    form = client.get(reverse("admin:events_event_change", args=[event.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for name in ("starts_at", "ends_at"):
        moment = changes.pop(name, getattr(event, name))
        data.pop(name)
        data.update({f"{name}_0": moment.strftime("%Y-%m-%d"), f"{name}_1": moment.strftime("%H:%M:%S")})
    return {**data, "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0", **changes}


def test_a_new_time_saved_in_the_admin_is_told_as_from_the_organisers_form(client, alice, event):
    client.force_login(alice)
    moved = event.starts_at + timedelta(hours=1)
    data = _admin_form_data(client, event, starts_at=moved, ends_at=moved + timedelta(hours=2))

    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == moved and event.sequence == 1
    assert sorted(Email.objects.values_list("to", flat=True)) == [
        "ana@example.org",
        "bo@example.org",
        "wim@example.org",
    ]


def test_the_admin_refuses_a_capacity_below_the_places_taken_and_changes_nothing(client, alice, event):
    client.force_login(alice)

    response = client.post(
        reverse("admin:events_event_change", args=[event.pk]), _admin_form_data(client, event, capacity="1")
    )

    assert response.status_code == 200 and "cannot be below the 2 places already taken" in response.text
    event.refresh_from_db()
    assert event.capacity == 2 and not Email.objects.exists()
