"""Forms people finish, in a real browser at a desktop's and a phone's width: the error summary takes the reader
to the field, and a counter shows the characters left. The whole letter flow in each language (preview with the
greeting, the confirmation link from the outbox, an action's version in the reader's language, the editor) is in
test_four_languages.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coalition.letters.models import Letter
from tests.browser.fixtures import WIDTHS, norway_action  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_form_with_errors_takes_the_reader_to_the_summary_and_counts_characters(page, norway_action, width):  # noqa: F811
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
