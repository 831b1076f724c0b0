"""Campaign pages in four languages and the staff work page, in a real browser at desktop and phone widths."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from coalition.letters.models import Action
from coalition.letters.tests.factories import ActionFactory
from coalition.site import reference_data
from coalition.site.starter_pages import STARTER_PAGES
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]


def _in_language(page, live_server, language: str) -> None:
    """The language cookie the switcher sets (the path may carry the language too, once URLs are prefixed)."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_a_campaign_page_reads_in_the_visitors_language(page, live_server, language, width):
    reference_data.load(log=lambda message: None)
    page.set_viewport_size({"width": width, "height": 844})
    _in_language(page, live_server, language)
    with translation.override(language):
        url = reverse("pages:page", kwargs={"slug": "the-treaty"})

    page.goto(url)

    title = STARTER_PAGES["the-treaty"][1][language][0]
    assert page.get_by_role("heading", level=1).inner_text() == title
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("article.campaign-page[lang]").count() == 0  # its own language: no fallback mark
    menu_link = page.locator("nav.site-nav a", has_text=STARTER_PAGES["the-problem"][1][language][0])
    assert menu_link.count() == 1
    assert _fits(page), "the page scrolls sideways"


def test_a_page_without_the_visitors_language_shows_the_original_marked(page, live_server):
    from coalition.site.tests.factories import page_in

    page_in("en", slug="english-only")
    _in_language(page, live_server, "ar")
    with translation.override("ar"):
        url = reverse("pages:page", kwargs={"slug": "english-only"})

    page.goto(url)

    article = page.locator("article.campaign-page")
    assert article.get_attribute("lang") == "en" and article.get_attribute("dir") == "auto"
    assert page.get_by_role("heading", level=1).inner_text() == "EN title"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_campaigner_finds_their_work_and_publishes_a_draft_action(page, live_server, carol, width):
    ActionFactory(slug="write-to-laos", title="Write to Laos", status=Action.Status.DRAFT)
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, live_server, carol.email)

    if width < 600:  # on a phone the navigation is behind the menu button
        page.locator("label.site-menu-button").click()
    page.locator("nav.site-nav").get_by_role("link", name="Staff work").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff work"
    drafts = page.locator("#queue-letters-draft-action")
    assert "Write to Laos" in drafts.inner_text()
    assert _fits(page), "the work page scrolls sideways"

    drafts.get_by_role("button", name="Publish").click()

    page.wait_for_url("**/act/write-to-laos/")
    assert Action.objects.get(slug="write-to-laos").status == Action.Status.PUBLISHED
