"""States in a real browser: filter the list, open a profile from it and from the map."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_filtering_the_states_and_opening_a_profile(page, reference):
    page.goto("/states/")
    assert page.locator('[data-count="state_party"]').inner_text() == "112"

    page.get_by_role("combobox", name="Treaty status").select_option("signatory")
    page.get_by_role("combobox", name="Region").select_option("Africa")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/states/?status=signatory&region=Africa&fact=")

    assert page.locator("#states-result-count").inner_text() == "8 states"
    table = page.locator(".states-table")
    expect(table.get_by_role("link", name="Angola")).to_be_visible()
    assert table.get_by_role("link", name="Norway").count() == 0

    table.get_by_role("link", name="Angola").click()
    page.wait_for_url("**/states/AGO/")
    assert page.get_by_role("heading", level=1).inner_text() == "Angola"
    assert page.locator(".state-status").inner_text() == "Signatory"


def test_norway_on_the_map_opens_its_profile_with_its_dates(page, reference):
    page.goto("/states/")
    norway = page.locator('.world-map__region[href="/states/NOR/"]')
    assert norway.locator("title").text_content() == "Norway: State party"
    norway.scroll_into_view_if_needed()
    # Inland Norway (61.5 N, 9 E) through the map's own transform: x = longitude + 180, y = 90 - latitude.
    x, y = page.evaluate(
        """() => { const svg = document.querySelector('#states-map svg'); const p = svg.createSVGPoint();
        p.x = 189; p.y = 28.5; const q = p.matrixTransform(svg.getScreenCTM()); return [q.x, q.y]; }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url("**/states/NOR/")
    assert page.locator(".state-status").inner_text() == "State party"
    assert page.locator('[data-field="signed"]').inner_text() == "Dec. 3, 2008"
    assert page.locator('[data-field="ratified"]').inner_text() == "Dec. 3, 2008"


def test_opening_the_brief_from_a_profile(page, reference):
    page.goto("/states/NOR/")
    page.get_by_role("link", name="Brief Norway").click()
    page.wait_for_url("**/states/NOR/brief/")
    assert page.get_by_role("heading", level=1).inner_text() == "Country brief: Norway"
    expect(page.get_by_role("heading", name="Obligations under the Convention")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    # Nothing restricted for a visitor.
    assert page.get_by_text("coalition only").count() == 0
    assert page.get_by_role("link", name="Download as PDF").get_attribute("href") == "/states/NOR/brief.pdf"


def test_the_obligations_table_filtered_to_overdue(page, reference):
    page.goto("/states/NOR/")
    page.get_by_role("link", name="Every state party's obligations").click()
    page.wait_for_url("**/states/obligations/")
    page.get_by_role("combobox", name="Status").select_option("overdue")
    page.get_by_role("button", name="Filter").press("Enter")  # the keyboard submits the filter form
    page.wait_for_url("**/states/obligations/?status=overdue*")
    rows = page.locator(".obligations-table tbody tr[data-status]")
    assert rows.count() > 0
    assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.status)")) == {"overdue"}
