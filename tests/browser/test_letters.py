"""The whole supporter flow in a real browser: read the action, edit the letter, preview it with the greeting
and signature filled in, send, confirm with the link read from the outbox, and the official receives it once,
with the writer as Reply-To; at a desktop's and a phone's width. Then forms people finish (error summary,
counter), an action in French with its French template, and a campaigner publishing from the editor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from coalition.core.models import OutboxMessage
from coalition.core.worker import run_pending_tasks
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.members.tests.factories import OrganisationFactory
from coalition.states.tests.factories import StateFactory
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def norway_action(settings):
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    norway = StateFactory(iso3="NOR", name="Norway")
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    return ActionFactory(
        slug="write-to-norway", title="Write to Norway", target=Action.Target.OWN_STATE, target_role=minister.role
    )


WIDTHS = [1280, 390]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_supporter_writes_edits_confirms_from_the_outbox_and_the_official_gets_the_letter_once(
    page, norway_action, width
):
    page.set_viewport_size({"width": width, "height": 900})
    organisation = OrganisationFactory(slug="alpha-aid", name="Alpha Aid")
    page.goto("/act/")
    page.get_by_role("link", name="Write to Norway").click()
    page.goto("/act/write-to-norway/?ref=alpha-aid")

    page.get_by_role("combobox", name="Your state").select_option("NOR")
    page.get_by_role("button", name="Show my officials").click()
    expect(page.get_by_text("Espen Barth Eide").first).to_be_visible()

    letter = page.get_by_role("textbox", name="Your letter")
    assert "I am writing to ask" in letter.input_value()
    assert "{{" not in page.content(), "no template code reaches a visitor"
    letter.fill(letter.input_value() + "\n\nMy uncle clears bomblets in Laos; please listen to him.")
    page.get_by_label("Your name").fill("Ana Writer")
    page.get_by_label("Your e-mail address").fill("Ana@Example.org")
    page.get_by_label("Your town").fill("Bergen")
    page.get_by_label("Send this letter in my name").check()
    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".letters-preview .email-text")
    preview.scroll_into_view_if_needed()
    expect(preview).to_be_visible()
    assert preview.inner_text().startswith("Dear Espen Barth Eide,\n\nI am writing to ask")
    assert preview.inner_text().endswith("Yours sincerely,\nAna Writer\nBergen, Norway")
    assert "My uncle clears bomblets" in page.get_by_role("textbox", name="Your letter").input_value(), "edits are kept"
    page.get_by_label("Send this letter in my name").focus()
    page.get_by_role("button", name="Send my letter").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Message.objects.get().status == Message.Status.UNCONFIRMED

    run_pending_tasks()
    confirmation = OutboxMessage.objects.get(to="ana@example.org")
    link = re.search(r"https?://\S+/act/confirm/\S+/", confirmation.body_text).group(0)
    page.goto("/act/" + link.split("/act/", 1)[1])  # the path: links carry SITE_URL, not the test server
    page.get_by_role("button", name="Yes, send my letter").click()
    expect(page.get_by_role("heading", name="Your letter is confirmed")).to_be_visible()

    run_pending_tasks()
    run_pending_tasks()
    [delivered] = OutboxMessage.objects.filter(to="minister@mfa.no.example")
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert delivered.message_id == message.message_id
    assert delivered.headers["Reply-To"] == "ana@example.org"
    assert "My uncle clears bomblets" in delivered.body_text
    assert delivered.body_text.startswith("Dear Espen Barth Eide,")
    assert Letter.objects.get().referred_by == organisation

    page.goto("/act/write-to-norway/")
    expect(page.get_by_text("1 letters of a goal of 100 (1 delivered by e-mail so far)")).to_be_visible()
    assert "ana@example.org" not in page.content().lower()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_form_with_errors_takes_the_reader_to_the_summary_and_counts_characters(page, norway_action, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/act/write-to-norway/?state=NOR")
    letter = page.get_by_role("textbox", name="Your letter")
    counter = page.locator("#id_body_count")
    assert re.fullmatch(r"Characters left: \d+", counter.inner_text())
    letter.fill("x" * 5001)
    assert counter.inner_text() == "Characters over the limit: 1"
    letter.fill("Please join the Convention.")
    page.get_by_label("Your e-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send my letter").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), "the focus moves to it"
    summary.get_by_role("link", name=re.compile("^Your e-mail address")).click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert Letter.objects.count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_an_action_in_french_shows_its_french_template_and_sends_a_french_letter(
    page, live_server, norway_action, width
):
    Action.objects.filter(pk=norway_action.pk).update(
        languages=["en", "fr"],
        translations={
            "fr": {
                "title": "Écrivez à la Norvège",
                "ask": "Adhérez à la Convention.",
                "background": "",
                "letter_subject": "Adhérez à la Convention",
                "letter_template": "Je vous demande d'adhérer à la Convention sur les armes à sous-munitions.",
            }
        },
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    with translation.override("fr"):
        url = reverse("letters:action", args=[norway_action.slug])
    page.goto(url + "?state=NOR")

    assert page.locator("html").get_attribute("lang") == "fr"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Écrivez à la Norvège" and heading.get_attribute("lang") == "fr"
    letter = page.locator("#id_body")
    assert letter.input_value().startswith("Je vous demande d'adhérer")
    assert letter.get_attribute("dir") == "auto" and letter.get_attribute("lang") == "fr"
    page.locator("#id_name").fill("Ana Writer")
    page.locator("#id_email").fill("ana@example.org")
    page.locator("#id_town").fill("Bergen")
    page.locator("#id_agree").check()
    page.locator("button[name=preview]").click()
    preview = page.locator(".letters-preview .email-text")
    assert preview.inner_text().startswith("Madame la Ministre, Monsieur le Ministre,\n\nJe vous demande")
    assert "Je vous prie d'agréer" in preview.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_campaigner_writes_an_action_in_the_editor_previews_it_and_publishes_it(
    page, live_server, carol, norway_action, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, carol.email)
    page.goto("/act/staff/new/")
    page.locator("#id_title").fill("Ask the minister")
    page.locator("#id_slug").fill("ask-the-minister")
    page.locator("#id_ask").fill("Join the Convention.")
    page.locator("#id_letter_subject").fill("Please join")
    page.locator("#id_letter_template").fill("Please join the Convention on Cluster Munitions.")
    page.locator("#id_target").select_option("fixed")
    page.locator("#id_positions").select_option(str(norway_action_minister(norway_action)))
    page.get_by_role("button", name="Preview", exact=True).click()
    assert "Dear Espen Barth Eide,\n\nPlease join the Convention" in page.locator(".editor-preview").inner_text()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The action is saved.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Ask the minister")).to_be_visible()
    assert Action.objects.get(slug="ask-the-minister").status == Action.Status.PUBLISHED


def norway_action_minister(action) -> int:
    from coalition.letters.models import Position

    return Position.objects.get(state_id="NOR").pk
