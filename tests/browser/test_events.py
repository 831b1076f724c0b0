"""An event from start to finish in a real browser: an editor creates it, staff publish it, a visitor
replies, and cancels through the link in the e-mail read from the outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.models import OutboxMessage
from coalition.core.worker import run_pending_tasks
from coalition.events.models import RSVP, Event
from coalition.members.tests.factories import OrganisationFactory
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def _log_in(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    log_in(tab, live_server, email, PASSWORD)
    return context, tab


def test_create_as_editor_publish_as_staff_reply_as_visitor_and_cancel_from_the_email(
    browser, live_server, page, settings, carol
):
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    organisation = OrganisationFactory(name="Alpha Aid", slug="alpha-aid")
    edna = UserFactory(email="edna@alpha.example.org", full_name="Edna Editor")
    edna.groups.add(Group.objects.get(name=Role.ORGANISATION_EDITOR))
    organisation.editors.add(edna)
    day = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d")

    # The editor creates the event and submits it for review.
    context, editor = _log_in(browser, live_server, "edna@alpha.example.org")
    editor.goto("/events/new/")
    editor.get_by_label("Title:", exact=True).fill("Debate on the ban")
    editor.get_by_label("Kind").select_option("debate")
    editor.get_by_label("Starts (local time at the event)").fill(f"{day}T18:00")
    editor.get_by_label("Ends (local time at the event)").fill(f"{day}T20:00")
    editor.get_by_label("Time zone").select_option("Europe/Oslo")
    editor.get_by_label("City:", exact=True).fill("Oslo")
    editor.get_by_label("Country").select_option("NO")
    editor.get_by_label("Capacity").fill("30")
    editor.get_by_role("button", name="Save and submit for review").click()
    editor.get_by_text("submitted: staff will review it").wait_for()
    event = Event.objects.get(title="Debate on the ban")
    assert event.status == Event.Status.SUBMITTED
    context.close()

    # Staff publish it.
    context, staff = _log_in(browser, live_server, carol.email)
    staff.goto("/events/review/")
    staff.get_by_role("link", name="Debate on the ban").click()
    staff.get_by_label("Publish").check()
    staff.get_by_role("button", name="Decide").click()
    staff.get_by_text("Published: the event is now public.").wait_for()
    context.close()

    # A visitor finds it and replies.
    page.goto("/events/")
    page.get_by_role("link", name="Debate on the ban", exact=True).click()  # the map has a marker too
    expect(page.get_by_text("6 p.m.–8 p.m.").first).to_be_visible()
    page.get_by_label("Your name").fill("Vera Visitor")
    page.get_by_label("Your e-mail address").fill("vera@example.org")
    page.get_by_role("button", name="Reply: I'm coming").click()
    page.get_by_text("Your place is confirmed.").wait_for()
    assert RSVP.objects.get(email="vera@example.org").status == RSVP.Status.CONFIRMED

    # The worker delivers the confirmation to the outbox; the visitor follows its link and cancels.
    run_pending_tasks()
    message = OutboxMessage.objects.get(to="vera@example.org")
    link = re.search(r"https?://[^/\s]+(/events/reply/[^/\s]+/)", message.body_text).group(1)
    page.goto(link)
    page.get_by_role("button", name="Cancel my reply").click()
    page.get_by_text("Your reply is cancelled.").wait_for()

    assert RSVP.objects.get(email="vera@example.org").status == RSVP.Status.CANCELLED
    event.refresh_from_db()
    assert event.places_taken == 0
