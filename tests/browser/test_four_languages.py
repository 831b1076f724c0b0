"""What visitors, supporters and staff see, in each of the four languages at a desktop's and a phone's width
(issue 16): a campaign page whose links stay in the reader's language, and one not yet translated, marked; an
action in that language with its own letter template, the greeting filled in the preview, and the confirmation
link from the outbox on the port the site is served on; then a campaigner's work page, publishing from it, and
an action written and published in the editor.

One test per language and width walks all of it: every browser test pays for a fresh database, so the flows
share one set-up instead of one each."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coalition.core.models import OutboxMessage
from coalition.core.worker import run_pending_tasks
from coalition.letters.models import Action, Letter, Message, Position
from coalition.letters.tests.factories import ActionFactory
from coalition.members.tests.factories import OrganisationFactory
from coalition.site import reference_data
from coalition.site.starter_pages import STARTER_PAGES
from coalition.site.tests.factories import page_in
from tests.browser.accounts import log_in
from tests.browser.fixtures import LANGUAGES, WIDTHS, fill_in, gettext_in, norway_action, url_in  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The action's versions in the other languages, as a campaigner writes them in the editor.
VERSIONS = {
    "fr": {
        "title": "Écrivez à la Norvège",
        "ask": "Adhérez à la Convention.",
        "background": "",
        "letter_subject": "Adhérez à la Convention",
        "letter_template": "Je vous demande d'adhérer à la Convention sur les armes à sous-munitions.",
    },
    "es": {
        "title": "Escriba a Noruega",
        "ask": "Adhiérase a la Convención.",
        "background": "",
        "letter_subject": "Adhiérase a la Convención",
        "letter_template": "Le pido que su país se adhiera a la Convención sobre Municiones en Racimo.",
    },
    "ar": {
        "title": "اكتب إلى النرويج",
        "ask": "انضموا إلى الاتفاقية.",
        "background": "",
        "letter_subject": "انضموا إلى الاتفاقية",
        "letter_template": "أطلب منكم أن تنضم بلادكم إلى اتفاقية الذخائر العنقودية.",
    },
}
# How each language greets the minister (coalition/letters/greetings.py): French greets by office.
GREETINGS = {
    "en": "Dear Espen Barth Eide,",
    "fr": "Madame la Ministre, Monsieur le Ministre,",
    "es": "Estimado/a Espen Barth Eide:",
    "ar": "حضرة Espen Barth Eide المحترم/ة،",
}
CLOSINGS = {
    "en": "Yours sincerely,",
    "fr": "Je vous prie d'agréer l'expression de ma haute considération.",
    "es": "Atentamente,",
    "ar": "وتفضلوا بقبول فائق الاحترام،",
}
ADDED = "My uncle clears bomblets in Laos; please listen to him."


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def _reads_a_campaign_page(page, language: str) -> None:
    page.goto(url_in(language, "pages:page", slug="the-treaty"))

    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(STARTER_PAGES["the-treaty"][1][language][0])
    expect(page.locator("article.campaign-page[lang]")).to_have_count(0)  # its own language: no fallback mark
    menu = page.locator("nav.site-nav a", has_text=STARTER_PAGES["the-problem"][1][language][0])
    expect(menu).to_have_attribute("href", url_in(language, "pages:page", slug="the-problem"))
    # The page's own link to the states follows the reader's language.
    expect(page.locator(".page-body a").first).to_have_attribute("href", url_in(language, "states:list"))
    assert _fits(page), "the page scrolls sideways"

    if language != "en":  # a page not yet in the reader's language: the original, marked with its language
        page.goto(url_in(language, "pages:page", slug="english-only"))
        article = page.locator("article.campaign-page")
        expect(article).to_have_attribute("lang", "en")
        expect(article).to_have_attribute("dir", "auto")
        expect(page.get_by_role("heading", level=1)).to_have_text("EN title")


def _writes_and_confirms_a_letter(page, live_server, language: str) -> None:
    version = VERSIONS.get(language, {"title": "Write to Norway"})
    page.goto(url_in(language, "letters:actions"))
    page.get_by_role("link", name=version["title"]).click()
    page.goto(page.url + "?ref=alpha-aid")  # as from a member organisation's link
    page.locator("#id_state").select_option("NOR")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator(".letters-targets").get_by_text("Espen Barth Eide")).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", language)
    letter = page.locator("#id_body")
    expect(letter).to_have_attribute("dir", "auto")
    expect(letter).to_have_attribute("lang", language)
    template = version.get("letter_template", "I am writing to ask")
    assert letter.input_value().startswith(template)
    assert "{{" not in page.content(), "no template code reaches a visitor"
    letter.fill(letter.input_value() + "\n\n" + ADDED)
    page.locator("#id_name").fill("Ana Writer")
    page.locator("#id_email").fill("Ana@Example.org")
    page.locator("#id_town").fill("Bergen")
    page.locator("#id_agree").check()
    page.locator("button[name=preview]").click()

    preview = page.locator(".letters-preview .email-text")
    expect(preview).to_be_visible()
    text = preview.inner_text()
    assert text.startswith(f"{GREETINGS[language]}\n\n{template}"), text
    assert f"{CLOSINGS[language]}\nAna Writer\nBergen" in text, text
    assert ADDED in page.locator("#id_body").input_value(), "edits are kept"
    page.locator("button[name=send]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext_in(language, "Thank you"))

    run_pending_tasks()
    confirmation = OutboxMessage.objects.get(to="ana@example.org")
    confirm_path = url_in(language, "letters:confirm", token="TOKEN").split("TOKEN")[0]
    link = re.search(re.escape(live_server.url + confirm_path) + r"\S+/", confirmation.body_text)
    assert link, f"the link uses the address and port the site is served on: {confirmation.body_text}"
    assert urlsplit(link.group(0)).port not in (None, 8000)
    page.goto(link.group(0))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext_in(language, "Your letter is confirmed"))

    run_pending_tasks()
    run_pending_tasks()
    [delivered] = OutboxMessage.objects.filter(to="minister@mfa.no.example")
    assert Message.objects.get().status == Message.Status.SENT
    assert delivered.headers["Reply-To"] == "ana@example.org"
    assert delivered.body_text.startswith(f"{GREETINGS[language]}\n\n{template}")
    assert ADDED in delivered.body_text
    assert Letter.objects.get().referred_by.slug == "alpha-aid"

    page.goto(url_in(language, "letters:action", slug="write-to-norway"))
    progress = gettext_in(language, "%(confirmed)s letters of a goal of %(goal)s (%(sent)s delivered by e-mail so far)")
    expect(page.locator(".letters-progress")).to_contain_text(progress % {"confirmed": 1, "goal": 100, "sent": 1})
    assert "ana@example.org" not in page.content().lower()


def _campaigner_writes_and_publishes_an_action(page, live_server, carol, language: str, width: int) -> None:
    log_in(page, live_server, carol.email)
    page.goto(url_in(language, "staff-work"))
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext_in(language, "Staff work"))
    drafts = page.locator("#queue-letters-draft-action")
    expect(drafts.get_by_role("link", name="Write to Laos")).to_be_visible()
    assert _fits(page), "the work page scrolls sideways"
    drafts.get_by_role("button", name=gettext_in(language, "Publish")).click()  # straight from the work page
    page.wait_for_url(f"**{url_in(language, 'letters:action', slug='write-to-laos')}")
    assert Action.objects.get(slug="write-to-laos").status == Action.Status.PUBLISHED

    page.goto(url_in(language, "staff-work"))

    drafts.get_by_role("link", name=gettext_in(language, "New action")).click()
    page.wait_for_url(f"**{url_in(language, 'letters:editor-new')}")
    fill_in(
        page,
        {
            "#id_title": "Ask the minister",
            "#id_slug": "ask-the-minister",
            "#id_ask": "Join the Convention.",
            "#id_letter_subject": "Please join",
            "#id_letter_template": "Please join the Convention on Cluster Munitions.",
        },
    )
    page.locator("#id_target").select_option("fixed")
    page.locator("#id_positions").select_option(str(Position.objects.get(state_id="NOR").pk))
    page.locator("button[name=preview]").click()
    expect(page.locator(".editor-preview .email-text").first).to_contain_text(
        "Dear Espen Barth Eide,\n\nPlease join the Convention"
    )
    page.locator("button[name=save]").click()
    page.wait_for_url(f"**{url_in(language, 'letters:editor', slug='ask-the-minister')}")
    expect(page.get_by_text(gettext_in(language, "The action is saved."))).to_be_visible()

    page.locator(f"form[action='{url_in(language, 'letters:publish', slug='ask-the-minister')}'] button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the minister")
    assert Action.objects.get(slug="ask-the-minister").status == Action.Status.PUBLISHED


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_a_supporter_and_a_campaigner_each_finish_their_work_in_their_language(
    page,
    live_server,
    settings,
    carol,
    norway_action,  # noqa: F811
    language,
    width,
):
    # The site is served on the live server's port, not 8000: links in e-mails must follow it.
    settings.SITE_URL = live_server.url
    reference_data.load(log=lambda message: None)
    Action.objects.filter(pk=norway_action.pk).update(languages=LANGUAGES, translations=VERSIONS)
    ActionFactory(slug="write-to-laos", title="Write to Laos", status=Action.Status.DRAFT)
    OrganisationFactory(slug="alpha-aid", name="Alpha Aid")
    page_in("en", slug="english-only")
    page.set_viewport_size({"width": width, "height": 844})

    _reads_a_campaign_page(page, language)
    _writes_and_confirms_a_letter(page, live_server, language)
    _campaigner_writes_and_publishes_an_action(page, live_server, carol, language, width)
