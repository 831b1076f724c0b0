"""Field research in a real browser: a researcher submits a casualty, a reviewer approves it, the public sees it."""

from __future__ import annotations

import pytest

from coalition.accounts.tests.factories import PASSWORD
from tests.browser.accounts import log_in
from tests.browser.fixtures import fill_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def research_cast(db):
    from django.contrib.auth.models import Group

    from coalition.accounts.roles import Role
    from coalition.accounts.tests.factories import UserFactory
    from coalition.members.tests.factories import OrganisationFactory
    from coalition.research.models import Researcher
    from coalition.states.tests.factories import StateFactory

    StateFactory(iso3="LAO")
    alpha = OrganisationFactory(name="Alpha Aid", slug="alpha-aid")
    rita = UserFactory(email="rita@alpha.example.org", full_name="Rita Researcher")
    rita.groups.add(Group.objects.get(name=Role.RESEARCHER))
    Researcher.objects.create(user=rita, organisation=alpha)
    vera = UserFactory(email="vera@example.org", full_name="Vera Reviewer", is_staff=True)
    vera.groups.add(Group.objects.get(name=Role.REVIEWER))
    return rita, vera


def _log_in(page, live_server, email):
    log_in(page, live_server, email, PASSWORD)


def test_a_submitted_casualty_approved_by_a_reviewer_is_counted_on_the_research_page(
    browser, live_server, research_cast
):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/research/")
    assert page.locator("#total-casualties").inner_text() == "0"

    _log_in(page, live_server, "rita@alpha.example.org")
    page.goto("/research/workspace/casualty/new/")
    page.get_by_label("Killed:", exact=True).fill("1")
    page.get_by_label("Injured:", exact=True).fill("0")
    # Who was killed, as far as known: a girl, a civilian (decision 0602).
    for breakdown in ("female", "children", "girls", "civilians"):
        page.get_by_label(f"Killed ({breakdown}):", exact=True).fill("1")
    page.get_by_label("State").select_option("LAO")
    fill_in(
        page,
        {
            "Place": "Ban Phone",
            "#id_date": "2021-04-02",
            "or a new source": "Alpha Aid field visit",
            "Name (personal data)": "Noy Phimmasone",
        },
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for review").click()
    assert page.locator("#record-status").inner_text() == "Submitted"
    page.get_by_role("button", name="Log out").click()

    _log_in(page, live_server, "vera@example.org")
    page.goto("/research/review/")
    page.get_by_role("link", name="LAO 2021-04-02: 1 killed, 0 injured").click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/research/review/**")
    page.get_by_role("button", name="Log out").click()

    page.goto("/research/")
    assert page.locator("#total-casualties").inner_text() == "1"
    assert page.locator("#civilian-share").inner_text() == "100%"
    assert page.locator("#breakdown-sex_and_age").get_by_role("row", name="Girls").inner_text().split() == [
        "Girls", "1", "0", "1"
    ]  # fmt: skip
    assert "Noy Phimmasone" not in page.content()
    context.close()
