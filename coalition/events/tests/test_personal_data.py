"""A supporter's replies to events in their data export and page; erasing them gives up their places at
events to come (the waiting list moves up) and leaves past replies counted but anonymous."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coalition.core.audit import Actor
from coalition.core.models import AuditEntry, Email, OutboxMessage
from coalition.events import organising, selectors, services
from coalition.events.models import RSVP
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.members.models import Supporter
from coalition.members.supporters import DATA_LINK_SALT, supporter_erase, supporter_send_data_link, supporter_token
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def _erase(email: str) -> None:
    supporter_erase(supporter=Supporter.objects.get(email=email), by=Actor.SUBJECT)


def _data_page(email: str) -> str:
    supporter = Supporter.objects.get(email=email)
    return f"/members/my-data/{supporter_token(supporter, salt=DATA_LINK_SALT)}/"


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

    organising.event_cancel(event=event, by=carol, reason="Venue closed")

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


# --- guests: people who replied without signing up -----------------------------------------------------

GUEST_EMAIL, GUEST_NAME = "gita.guestling@example.org", "Gita Guestling"


def _every_text_cell_holding(*needles: str) -> list[str]:
    """table.column of every cell, in every table of the database, whose text holds one of the needles."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608  names from the schema
                        f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name} ({needle})")
    return found


def _link_in_outbox(to: str, prefix: str) -> str:
    message = OutboxMessage.objects.filter(to=to, subject__startswith="Your data").latest("created_at")
    [path] = re.findall(rf"https?://[^/\s]+({re.escape(prefix)}[^\s\"<]+)", message.body_text)
    return path


def test_a_guest_who_only_replied_gets_their_link_downloads_their_data_and_erases_it_all(
    client, org_a, outbox_backend, run_tasks
):
    event = EventFactory(organisation=org_a, title="Debate in Oslo", capacity=1)
    client.post(reverse("events:rsvp", args=[event.pk]), {"name": GUEST_NAME, "email": GUEST_EMAIL, "guests": 0})
    client.post(
        reverse("events:rsvp", args=[event.pk]), {"name": "Wim Waiting", "email": "wim@example.org", "guests": 0}
    )
    past = EventFactory(organisation=org_a, title="Film last week", starts_at=timezone.now() - timedelta(days=7))
    RSVPFactory(event=past, name=GUEST_NAME, email=GUEST_EMAIL, checked_in_at=past.starts_at)
    run_tasks()
    guest = RSVP.objects.get(event=event, email=GUEST_EMAIL)
    assert guest.status == RSVP.Status.CONFIRMED and not Supporter.objects.exists()
    assert _every_text_cell_holding(GUEST_EMAIL), "the scan finds the guest before erasure"

    sent = client.post(reverse("members:my-data"), {"email": GUEST_EMAIL.upper()})
    assert "we have sent it a link to your data" in sent.text
    run_tasks()
    path = _link_in_outbox(GUEST_EMAIL, "/members/my-data/")

    page = client.get(path)
    assert page.status_code == 200 and "Debate in Oslo" in page.text and "Film last week" in page.text
    assert "not signed up as a supporter" in page.text
    download = json.loads(client.get(path + "?format=json").content)
    assert download["email"] == GUEST_EMAIL
    assert [(r["event"], r["name"]) for r in download["event_replies"]] == [
        ("Debate in Oslo", GUEST_NAME),
        ("Film last week", GUEST_NAME),
    ]
    assert len(download["emails"]) == 2 and download["letters"] == []

    erased = client.post(path, {"confirm": "on"})
    run_tasks()

    assert "Your data was erased" in erased.text
    assert _every_text_cell_holding(GUEST_EMAIL, GUEST_NAME, "gita.guestling") == []
    assert RSVP.objects.get(event=event, email="wim@example.org").status == RSVP.Status.CONFIRMED, "next in line"
    assert OutboxMessage.objects.filter(to="wim@example.org", subject__contains="A place freed up").exists()
    assert selectors.rsvp_counts(past)["checked_in"] == 1, "the past reply stays counted, without the person"
    assert client.get(path).status_code == 400, "the link dies with the data"
    assert AuditEntry.objects.filter(action="guest.erase", actor_kind="subject").count() == 1


def test_asking_for_a_link_for_an_address_that_never_replied_sends_nothing(client):
    RSVPFactory(email="someone@example.org")

    response = client.post(reverse("members:my-data"), {"email": "nobody@example.org"})

    assert "we have sent it a link to your data" in response.text
    assert not Email.objects.filter(subject__startswith="Your data").exists()


def test_a_guests_link_cannot_be_turned_to_another_persons_reply(client):
    mine = RSVPFactory(email="gita@example.org")
    theirs = RSVPFactory(email="bo@example.org")
    supporter_send_data_link(email="gita@example.org")
    token = re.search(r"/members/my-data/([^/\s]+)/", Email.objects.get(subject__startswith="Your data").body_text)[1]
    payload = signing.loads(token, salt=DATA_LINK_SALT)
    assert payload["r"] == str(mine.pk)

    forged = signing.dumps({**payload, "r": str(theirs.pk)}, salt=DATA_LINK_SALT)

    assert client.get(f"/members/my-data/{forged}/").status_code == 400
    assert client.get(f"/members/my-data/{token}/").status_code == 200


def test_a_guests_data_page_runs_the_same_number_of_queries_with_few_and_many_replies(
    client, django_assert_num_queries
):
    from django.test.utils import CaptureQueriesContext

    services.rsvp_create(event=EventFactory(), name=GUEST_NAME, email=GUEST_EMAIL)
    supporter_send_data_link(email=GUEST_EMAIL)
    body = Email.objects.get(subject__startswith="Your data").body_text
    path = re.search(r"https?://[^/\s]+(/members/my-data/[^\s]+)", body)[1]
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    for _ in range(5):
        services.rsvp_create(event=EventFactory(), name=GUEST_NAME, email=GUEST_EMAIL)

    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(path)
    assert page.text.count("Public meeting") >= 6
