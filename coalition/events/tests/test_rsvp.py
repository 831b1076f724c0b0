"""Replying to an event: confirmation with a cancel link, capacity, the waiting list promoted in order,
and every way a reply can be refused without storing anything."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from coalition.events import organising, services
from coalition.events.models import RSVP, Event
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _reply(client, event, email="ana@example.org", name="Ana", guests=0, **extra):
    return client.post(
        reverse("events:rsvp", args=[event.pk]), {"name": name, "email": email, "guests": guests, **extra}
    )


def _manage_link(email_row):
    return re.search(r"http://127\.0\.0\.1:8000(/events/reply/[^/\s]+/)", email_row.body_text).group(1)


def test_a_visitor_replies_and_gets_a_confirmation_with_the_address_and_a_cancel_link(client, emails):
    event = EventFactory(capacity=10, address_visibility="attendees")

    response = _reply(client, event, email="Ana@Example.org", guests=2)

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Your place is confirmed." in page
    reply = RSVP.objects.get()
    assert (reply.email, reply.guests, reply.status) == ("ana@example.org", 2, RSVP.Status.CONFIRMED)
    event.refresh_from_db()
    assert event.places_taken == 3
    [email] = emails("ana@example.org")
    assert "is confirmed" in email.subject
    assert "Wergelandsveien 29" in email.body_text  # the hidden address goes to confirmed attendees
    assert "/events/reply/" in email.body_text and "/events/reply/" in email.body_html
    manage = client.get(_manage_link(email)).text
    assert "Wergelandsveien 29" in manage and "Cancel my reply" in manage


def test_when_the_event_is_full_the_next_reply_goes_to_the_waiting_list(client, emails):
    event = EventFactory(capacity=2, address_visibility="attendees")
    _reply(client, event, email="first@example.org", guests=1)

    response = _reply(client, event, email="second@example.org")

    assert "you are on the waiting list" in client.get(response["Location"]).text
    assert RSVP.objects.get(email="second@example.org").status == RSVP.Status.WAITING
    event.refresh_from_db()
    assert event.places_taken == 2 and event.is_full
    [email] = emails("second@example.org")
    assert "waiting list" in email.subject
    assert "Wergelandsveien" not in email.body_text  # no address until a place is confirmed
    assert "Join the waiting list" in client.get(event.get_absolute_url()).text


def test_cancelling_through_the_emailed_link_promotes_the_waiting_list_in_order(client, emails):
    event = EventFactory(capacity=2)
    _reply(client, event, email="first@example.org", guests=1)
    _reply(client, event, email="second@example.org")
    _reply(client, event, email="third@example.org")
    link = _manage_link(emails("first@example.org")[0])

    assert "Cancel my reply" in client.get(link).text  # opening the link (a mail scanner) cancels nothing
    assert RSVP.objects.get(email="first@example.org").status == RSVP.Status.CONFIRMED
    response = client.post(link)

    assert "Your reply is cancelled." in client.get(response["Location"]).text
    statuses = dict(RSVP.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": "cancelled",
        "second@example.org": "confirmed",
        "third@example.org": "confirmed",
    }
    event.refresh_from_db()
    assert event.places_taken == 2
    assert "A place freed up" in emails("second@example.org")[-1].subject
    assert "A place freed up" in emails("third@example.org")[-1].subject


def test_the_waiting_list_is_first_come_first_served_even_for_a_larger_group(emails):
    event = EventFactory(capacity=3)
    services.rsvp_create(event=event, name="A", email="a@example.org", guests=2)
    services.rsvp_create(event=event, name="B", email="b@example.org", guests=1)  # waits: 2 places, 1 free
    services.rsvp_create(event=event, name="C", email="c@example.org")  # waits behind B, though 1 is free

    assert RSVP.objects.get(email="c@example.org").status == RSVP.Status.WAITING
    services.rsvp_cancel(rsvp=RSVP.objects.get(email="a@example.org"))

    assert RSVP.objects.get(email="b@example.org").status == RSVP.Status.CONFIRMED
    assert RSVP.objects.get(email="c@example.org").status == RSVP.Status.CONFIRMED


def test_raising_the_capacity_promotes_people_from_the_waiting_list(edna, org_a, emails):
    event = EventFactory(organisation=org_a, capacity=1)
    services.rsvp_create(event=event, name="A", email="a@example.org")
    services.rsvp_create(event=event, name="B", email="b@example.org")

    organising.event_update(event=event, data={"capacity": 2}, by=edna)

    assert RSVP.objects.get(email="b@example.org").status == RSVP.Status.CONFIRMED
    with pytest.raises(services.EventError, match="cannot be below the 2 places"):
        organising.event_update(event=event, data={"capacity": 1}, by=edna)


def test_a_second_reply_from_the_same_address_is_refused_and_stored_once(client):
    event = EventFactory(capacity=10)
    _reply(client, event, email="ana@example.org")

    response = _reply(client, event, email="ANA@example.org ")

    assert response.status_code == 400
    assert "This address has already replied." in response.text
    assert RSVP.objects.count() == 1


def test_a_group_larger_than_the_whole_event_is_refused(client):
    event = EventFactory(capacity=3)

    response = _reply(client, event, guests=4)

    assert response.status_code == 400
    assert "The event has 3 places in all: come with fewer guests." in response.text
    assert not RSVP.objects.exists()


def test_more_guests_than_allowed_get_a_form_error(client, settings):
    settings.EVENTS_MAX_GUESTS = 2
    event = EventFactory()

    response = _reply(client, event, guests=3)

    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 2." in response.text
    assert not RSVP.objects.exists()


@pytest.mark.parametrize(
    ("status", "starts_in", "message"),
    [
        (Event.Status.CANCELLED, timedelta(days=3), "This event was cancelled."),
        (Event.Status.PUBLISHED, -timedelta(hours=1), "This event has already started: replies are closed."),
    ],
)
def test_replies_to_a_cancelled_or_past_event_are_refused(client, status, starts_in, message):
    event = EventFactory(status=status, starts_at=timezone.now() + starts_in)

    response = _reply(client, event)

    assert response.status_code == 400
    assert message in response.text
    assert not RSVP.objects.exists()


def test_a_draft_takes_no_replies(client):
    event = EventFactory(status=Event.Status.DRAFT)

    assert _reply(client, event).status_code == 404
    assert not RSVP.objects.exists()


def test_a_reply_is_credited_to_the_organisation_whose_link_brought_the_visitor(client):
    OrganisationFactory(slug="gamma-group")
    event = EventFactory()
    client.get(f"{event.get_absolute_url()}?ref=gamma-group")

    _reply(client, event)

    assert RSVP.objects.get().referred_by.slug == "gamma-group"


def test_a_bot_filling_the_trap_field_stores_nothing(client):
    event = EventFactory()

    response = _reply(client, event, fax_number="123")

    assert response.status_code == 302
    assert not RSVP.objects.exists()


def test_too_many_replies_from_one_address_are_refused(client, settings):
    settings.EVENTS_RSVP_RATE_PER_IP = "2/h"
    event = EventFactory()
    _reply(client, event, email="one@example.org")
    _reply(client, event, email="two@example.org")

    response = _reply(client, event, email="three@example.org")

    assert response.status_code == 429
    assert RSVP.objects.count() == 2


def test_a_tampered_link_answers_the_page_that_says_how_to_get_a_new_one(client):
    reply = RSVPFactory()

    for response in (
        client.get(f"/events/reply/{reply.token}x/"),
        client.post(f"/events/reply/{reply.token[:-2]}/"),
        client.get(f"/events/reply/{'A' * 500}/"),
    ):
        assert response.status_code == 404
        assert "This link no longer works" in response.text and "Send me new links" in response.text
    reply.refresh_from_db()
    assert reply.status == RSVP.Status.CONFIRMED


def test_the_link_in_the_email_carries_a_random_token_and_not_the_address(client, emails):
    event = EventFactory()
    _reply(client, event, email="ana.attendee@example.org", name="Ana Attendee")
    _reply(client, event, email="bo@example.org", name="Bo")

    ana_link = _manage_link(emails("ana.attendee@example.org")[0])
    bo_link = _manage_link(emails("bo@example.org")[0])

    ana = RSVP.objects.get(email="ana.attendee@example.org")
    assert ana_link == f"/events/reply/{ana.token}/" and len(ana.token) >= 43
    assert ana_link != bo_link
    secret = ana_link.split("/")[3]
    decoded = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    for part in (b"ana", b"example", b"Ana"):
        assert part not in decoded and part.decode() not in secret
    assert "Cancel my reply" in client.get(ana_link).text


def test_a_link_in_the_old_form_with_the_address_inside_opens_nothing(client):
    """Links sent before the tokens were random held the address, signed: they are refused, politely."""
    reply = RSVPFactory(email="ana@example.org")
    old = signing.dumps({"rsvp": reply.pk, "email": reply.email}, salt="coalition.events.rsvp", compress=True)

    shown = client.get(f"/events/reply/{old}/")
    posted = client.post(f"/events/reply/{old}/")

    assert shown.status_code == posted.status_code == 404
    assert "This link no longer works" in shown.text and "ana@example.org" not in shown.text
    reply.refresh_from_db()
    assert reply.status == RSVP.Status.CONFIRMED


def test_a_new_copy_of_the_links_goes_to_the_address_for_its_replies_to_events_to_come(client, emails):
    coming = EventFactory(title="Debate in Oslo")
    waiting_for = EventFactory(title="Film in Geneva", capacity=1)
    RSVPFactory(event=waiting_for, email="someone@example.org")
    past = EventFactory(title="Vigil last year", starts_at=timezone.now() - timedelta(days=300))
    confirmed = services.rsvp_create(event=coming, name="Ana", email="ana@example.org")
    waiting = services.rsvp_create(event=waiting_for, name="Ana", email="ana@example.org")
    given_up = services.rsvp_create(event=EventFactory(title="Cancelled reply"), name="A", email="ana@example.org")
    services.rsvp_cancel(rsvp=given_up)
    RSVPFactory(event=past, email="ana@example.org")
    before = len(emails("ana@example.org"))

    response = client.post(reverse("events:rsvp-links"), {"email": " Ana@Example.org "})

    assert response.status_code == 200 and "Check your inbox" in response.text
    [sent] = emails("ana@example.org")[before:]
    assert f"/events/reply/{confirmed.token}/" in sent.body_text and f"/events/reply/{waiting.token}/" in sent.body_text
    assert "Debate in Oslo" in sent.body_text and "Film in Geneva" in sent.body_html
    assert "Vigil last year" not in sent.body_text and "Cancelled reply" not in sent.body_text


def test_asking_for_links_says_the_same_whether_or_not_the_address_replied(client, emails):
    RSVPFactory(email="ana@example.org")

    known = client.post(reverse("events:rsvp-links"), {"email": "ana@example.org"})
    unknown = client.post(reverse("events:rsvp-links"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", known.text) == csrf.sub("", unknown.text)
    assert not emails("nobody@example.org")


def test_asking_for_links_too_often_sends_nothing_more(client, settings, emails):
    settings.EVENTS_LINKS_RATE_PER_EMAIL = "2/h"
    RSVPFactory(email="ana@example.org")

    for _n in range(4):
        response = client.post(reverse("events:rsvp-links"), {"email": "ana@example.org"})

    assert response.status_code == 200 and "Check your inbox" in response.text
    assert len(emails("ana@example.org")) == 2


def test_asking_for_links_with_a_bad_address_or_as_a_bot_sends_nothing(client, emails):
    RSVPFactory(email="ana@example.org")

    bad = client.post(reverse("events:rsvp-links"), {"email": "not an address"})
    bot = client.post(reverse("events:rsvp-links"), {"email": "ana@example.org", "fax_number": "123"})

    assert bad.status_code == 400 and "Enter a valid email address." in bad.text
    assert bot.status_code == 200 and "Check your inbox" in bot.text
    assert not emails()


def test_after_cancelling_one_can_reply_again(client):
    event = EventFactory(capacity=5)
    services.rsvp_cancel(rsvp=services.rsvp_create(event=event, name="Ana", email="ana@example.org"))

    _reply(client, event, email="ana@example.org")

    assert RSVP.objects.filter(email="ana@example.org").count() == 2
    event.refresh_from_db()
    assert event.places_taken == 1


def test_a_reply_made_in_french_gets_links_to_the_french_pages_and_old_links_still_open(client, emails, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    event = EventFactory(capacity=10)

    response = client.post(f"/fr/events/{event.pk}/rsvp/", {"name": "Ana", "email": "ana@example.org", "guests": 0})

    assert response.status_code == 302
    [email] = emails("ana@example.org")
    link = re.search(r"http://127\.0\.0\.1:8000(/fr/events/reply/[^/\s]+/)", email.body_text)
    assert link is not None, email.body_text
    assert '<html lang="fr"' in client.get(link.group(1)).text
    # The same link without the prefix, as in e-mails sent before addresses had one, opens the reply in English.
    assert '<html lang="en"' in client.get(link.group(1).removeprefix("/fr")).text
