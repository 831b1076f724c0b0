"""States in a real browser: filter the list, open a profile from it and from the map."""

from __future__ import annotations

import pytest

from coalition.states import reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reference(transactional_db) -> None:
    reference_data.load(log=lambda message: None)


def test_filtering_the_states_and_opening_a_profile(page, reference):
    page.goto("/states/")
    assert page.locator('[data-count="state_party"]').inner_text() == "112"

    page.get_by_role("combobox", name="Treaty status").select_option("signatory")
    page.get_by_role("combobox", name="Region").select_option("Africa")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/states/?status=signatory&region=Africa&fact=")

    assert page.locator("#states-result-count").inner_text() == "8 states"
    table = page.locator(".states-table")
    assert table.get_by_role("link", name="Angola").is_visible()
    assert table.get_by_role("link", name="Norway").count() == 0

    table.get_by_role("link", name="Angola").click()
    page.wait_for_url("**/states/AGO/")
    assert page.get_by_role("heading", level=1).inner_text() == "Angola"
    assert page.locator(".state-status").inner_text() == "Signatory"


def test_a_square_of_the_map_opens_norways_profile_with_its_dates(page, reference):
    page.goto("/states/")
    page.locator('a[data-iso3="NOR"]').click()
    page.wait_for_url("**/states/NOR/")
    assert page.locator(".state-status").inner_text() == "State party"
    assert page.locator('[data-field="signed"]').inner_text() == "Dec. 3, 2008"
    assert page.locator('[data-field="ratified"]').inner_text() == "Dec. 3, 2008"
