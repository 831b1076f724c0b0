"""The layout in a real browser: language switcher, right-to-left Arabic, keyboard use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_language_switcher_opens_the_same_page_in_arabic_right_to_left(page):
    page.goto("/states/")
    assert page.locator("html").get_attribute("dir") == "ltr"

    page.locator(".language-switcher").get_by_role("link", name="العربيّة").click()

    page.wait_for_url("**/ar/states/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.locator('.language-switcher a[aria-current="true"]').get_attribute("lang") == "ar"


def test_a_keyboard_user_can_skip_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_logging_in_with_the_keyboard(page, live_server, carol):
    log_in(page, live_server, "CAROL@example.org")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
