"""The Content-Security-Policy blocks nothing the site itself needs, in a real browser."""

from __future__ import annotations

import pytest

from coalition.core.models import OutboxMessage
from coalition.members.tests.factories import OrganisationFactory
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(page.url + " " + message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_public_pages_and_the_api_docs_run_without_a_single_policy_violation(page, reference):
    OrganisationFactory(name="Alpha Aid", country="NO")
    violations = _violations(page)

    for path in ["/", "/members/", "/members/join/", "/members/sign-up/", "/states/", "/states/NOR/", "/events/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)

    assert violations == []


def test_the_superuser_reads_an_e_mails_html_in_the_outbox_with_its_styles(page, live_server, outbox_backend):
    from coalition.accounts.tests.factories import PASSWORD, UserFactory

    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    message = OutboxMessage.objects.create(
        to="sam@example.org", subject="Hello", body_text="Hello", body_html='<p style="color: rgb(255, 0, 0)">Hi</p>'
    )
    violations = _violations(page)
    log_in(page, live_server, "admin@example.org", PASSWORD)

    page.goto(f"/staff/outbox/{message.pk}/")
    paragraph = page.frame_locator("iframe.email-html").locator("p")

    assert paragraph.evaluate("element => getComputedStyle(element).color") == "rgb(255, 0, 0)"
    assert violations == []
