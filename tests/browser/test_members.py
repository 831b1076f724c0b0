"""An organisation applies, staff approve it, and its new editor edits the profile: in Chromium."""

from __future__ import annotations

import re

import pytest

from coalition.core.models import Email
from coalition.members.models import Organisation
from tests.browser.accounts import enrol, give_password, log_in
from tests.browser.fixtures import fill_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "cluster munitions ban 2008"


def test_an_organisation_applies_is_approved_and_its_editor_edits_the_profile(page, live_server, carol):
    # 1. The organisation applies.
    page.goto("/members/join/")
    page.get_by_label("Type").select_option("ngo")
    page.get_by_label("Country").select_option("LA")
    fill_in(
        page,
        {
            "Name of the organisation": "Cluster Watch Laos",
            "What your organisation does": "We survey land contaminated by submunitions.",
            "Your name": "Ana Applicant",
            "Your e-mail address": "ana@clusterwatch.example.org",
        },
    )
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/members/join/thanks/")
    assert Organisation.objects.get(name="Cluster Watch Laos").status == "applicant"

    # 2. Carol (staff) approves it.
    log_in(page, live_server, "carol@example.org")
    page.goto("/members/staff/applications/")
    page.get_by_role("link", name="Cluster Watch Laos").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Message to the applicant").fill("Welcome to the coalition!")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/members/staff/applications/")
    assert "Approved" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Log out").click()

    # 3. Ana follows the link in her e-mail, chooses a password and edits the profile.
    email = Email.objects.get(to="ana@clusterwatch.example.org", subject__startswith="Welcome")
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", email.body_text).group(1)
    page.goto(path)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/reset/done/")
    give_password(page, "ana@clusterwatch.example.org", PASSWORD)
    # An editor reads her events' attendees: she sets up her second factor before anything else.
    enrol(page, landing=f"{live_server.url}/")

    page.goto("/members/cluster-watch-laos/")
    page.get_by_role("link", name="Edit this profile").click()
    page.get_by_label("City").fill("Vientiane")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/members/cluster-watch-laos/")
    assert "Vientiane" in page.locator("main").inner_text()
    assert Organisation.objects.get(slug="cluster-watch-laos").city == "Vientiane"

    # Her access stops at her own organisation.
    Organisation.objects.create(name="Other Org", slug="other-org", status="member")
    response = page.goto("/members/other-org/edit/")
    assert response.status == 403
