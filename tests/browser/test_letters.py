"""The whole supporter flow in a real browser: read the action, edit the letter, preview, send, confirm
with the link read from the outbox, and the official receives it once, with the writer as Reply-To."""

from __future__ import annotations

import re

import pytest

from coalition.core.models import OutboxMessage
from coalition.core.worker import run_pending_tasks
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.members.tests.factories import OrganisationFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def norway_action(settings):
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    norway = StateFactory(iso3="NOR", name="Norway")
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    return ActionFactory(
        slug="write-to-norway", title="Write to Norway", target=Action.Target.OWN_STATE, target_role=minister.role
    )


def test_a_supporter_writes_edits_confirms_from_the_outbox_and_the_official_gets_the_letter_once(page, norway_action):
    organisation = OrganisationFactory(slug="alpha-aid", name="Alpha Aid")
    page.goto("/act/")
    page.get_by_role("link", name="Write to Norway").click()
    page.goto("/act/write-to-norway/?ref=alpha-aid")

    page.get_by_role("combobox", name="Your state").select_option("NOR")
    page.get_by_role("button", name="Show my officials").click()
    assert page.get_by_text("Espen Barth Eide").first.is_visible()

    letter = page.get_by_role("textbox", name="Your letter")
    assert "{{ official_name }}" in letter.input_value()
    letter.fill(letter.input_value() + "\n\nMy uncle clears bomblets in Laos; please listen to him.")
    page.get_by_label("Your name").fill("Ana Writer")
    page.get_by_label("Your e-mail address").fill("Ana@Example.org")
    page.get_by_label("Your town").fill("Bergen")
    page.get_by_label("Send this letter in my name").check()
    page.get_by_role("button", name="Preview").click()

    assert page.get_by_text("Dear Minister of Foreign Affairs of Norway Espen Barth Eide,").is_visible()
    assert "My uncle clears bomblets" in page.get_by_role("textbox", name="Your letter").input_value(), "edits are kept"
    page.get_by_label("Send this letter in my name").focus()
    page.get_by_role("button", name="Send my letter").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert Message.objects.get().status == Message.Status.UNCONFIRMED

    run_pending_tasks()
    confirmation = OutboxMessage.objects.get(to="ana@example.org")
    link = re.search(r"https?://\S+/act/confirm/\S+/", confirmation.body_text).group(0)
    page.goto("/act/" + link.split("/act/", 1)[1])  # the path: links carry SITE_URL, not the test server
    page.get_by_role("button", name="Yes, send my letter").click()
    assert page.get_by_role("heading", name="Your letter is confirmed").is_visible()

    run_pending_tasks()
    run_pending_tasks()
    [delivered] = OutboxMessage.objects.filter(to="minister@mfa.no.example")
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert delivered.message_id == message.message_id
    assert delivered.headers["Reply-To"] == "ana@example.org"
    assert "My uncle clears bomblets" in delivered.body_text
    assert Letter.objects.get().referred_by == organisation

    page.goto("/act/write-to-norway/")
    assert page.get_by_text("1 letters of a goal of 100 (1 delivered by e-mail so far)").is_visible()
    assert "ana@example.org" not in page.content().lower()
