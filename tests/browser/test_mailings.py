"""A campaigner's mailing in a real browser: compose, send a test to herself, send it, and the supporter
unsubscribes with the link in the copy kept in the outbox (the one button, not the opening of the page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.models import OutboxMessage
from coalition.core.worker import run_pending_tasks
from coalition.mailings.models import Mailing, Subscription
from coalition.mailings.tests.factories import MailingListFactory, subscriber
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_compose_test_send_and_unsubscribe_through_the_outbox_copy(page, live_server, settings):
    from django.contrib.auth.models import Group

    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    newsletter = MailingListFactory(name="Newsletter", slug="newsletter")
    ola = subscriber(newsletter, name="Ola Nordmann", email="ola@example.org", country="NO", language="en")
    carol = UserFactory(email="carol@example.org", full_name="Carol Campaigner", is_staff=True)
    carol.groups.add(Group.objects.get(name=Role.CAMPAIGNER))

    log_in(page, live_server, "carol@example.org")
    page.goto("/mailings/staff/")
    page.get_by_role("link", name="Write a mailing").click()
    page.get_by_label("Internal name").fill("June newsletter")
    page.get_by_label(re.compile(r"^List:?$")).select_option(label="Newsletter")
    page.get_by_label(re.compile(r"^Subject:?$")).fill("June news for {{ first_name | friend }}")
    page.get_by_label("Text (Markdown)").fill("Hello {{ first_name }} in {{ state }}.\n\nThe treaty holds.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="June newsletter")).to_be_visible()
    expect(page.get_by_role("button", name="Send to 1 supporter")).to_be_visible()

    page.get_by_role("button", name="Send a test to myself").click()
    expect(page.get_by_text("A test copy is on its way to carol@example.org.")).to_be_visible()
    run_pending_tasks()
    test_copy = OutboxMessage.objects.get(to="carol@example.org")
    assert test_copy.subject == "[Test] June news for Carol"

    page.get_by_label("Now").check()
    page.get_by_role("button", name="Send to 1 supporter").click()
    expect(page.get_by_text("The mailing is on its way.")).to_be_visible()
    run_pending_tasks()
    run_pending_tasks()
    assert Mailing.objects.get().status == Mailing.Status.SENT
    page.reload()
    assert page.locator("[data-count=sent]").inner_text() == "1"

    copy = OutboxMessage.objects.get(to="ola@example.org")
    assert copy.subject == "June news for Ola" and "Hello Ola in Norway." in copy.body_text
    assert copy.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"https?://\S+/mailings/unsubscribe/\S+/", copy.body_text).group(0)

    visitor = page.context.browser.new_context(base_url=live_server.url)
    tab = visitor.new_page()
    tab.goto("/mailings/" + link.split("/mailings/", 1)[1])
    assert Subscription.objects.get(supporter=ola).left_at is None, "opening the page unsubscribes nobody"
    tab.get_by_role("button", name="Unsubscribe from “Newsletter”").click()
    expect(tab.get_by_text("You are no longer on the list “Newsletter”.")).to_be_visible()
    assert Subscription.objects.get(supporter=ola).left_at is not None
    visitor.close()
