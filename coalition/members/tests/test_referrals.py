"""Referral credit in one place: what an organisation's `?ref=` links brought — supporters, letters and event
replies — per month and per action or event, for its editors; staff compare organisations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coalition.events.models import RSVP
from coalition.events.tests.factories import EventFactory
from coalition.letters.models import Letter
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.members.models import Supporter
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory

pytestmark = pytest.mark.django_db

# Session, user, OTP device, two permission reads, the role check, the organisation and the editor check,
# then one query per kind of credit (supporters, event replies, letters), whatever the volume.
QUERIES = 11


def at(year: int, month: int) -> datetime:
    return datetime(year, month, 15, 12, tzinfo=UTC)


@pytest.fixture
def brought(org_a, org_b):
    """Alpha Aid brought two supporters in March and one in April, three confirmed letters (and one not),
    and a reply to an event; Beta Relief brought one letter."""
    for month in (3, 3, 4):
        SupporterFactory(referred_by=org_a, status=Supporter.Status.CONFIRMED, created_at=at(2026, month))
    SupporterFactory(referred_by=org_a, status=Supporter.Status.PENDING, created_at=at(2026, 4))
    action = ActionFactory(slug="ban-now", title="Ban them now", targets=[official()])
    for n, status in enumerate(["confirmed", "confirmed", "confirmed", "unconfirmed"]):
        letter = write(action, email=f"w{n}@example.org", referred_by=org_a)
        Letter.objects.filter(pk=letter.pk).update(status=status, created_at=at(2026, 4))
    Letter.objects.filter(pk=write(action, email="b@example.org", referred_by=org_b).pk).update(status="confirmed")
    event = EventFactory(title="Vigil in Geneva")
    RSVP.objects.create(event=event, name="Guest", email="g@example.org", status="confirmed", referred_by=org_a)
    RSVP.objects.create(event=event, name="Gone", email="x@example.org", status="cancelled", referred_by=org_a)
    return action, event


def test_an_editor_sees_what_their_links_brought_per_month_and_per_action_or_event(
    client, edna, org_a, brought, django_assert_num_queries
):
    action, event = brought
    client.force_login(edna)

    with django_assert_num_queries(QUERIES):
        page = client.get(f"/members/{org_a.slug}/referrals/")

    assert page.status_code == 200
    credit = {str(kind.label): kind for kind in page.context["credit"]}
    assert credit["Supporters who signed up"].total == 3, "a sign-up not yet confirmed is not credited"
    assert [(row.month.month, row.count) for row in credit["Supporters who signed up"].rows] == [(4, 1), (3, 2)]
    [letters] = credit["Letters confirmed"].rows
    assert (letters.subject, letters.count, letters.url) == ("Ban them now", 3, f"/act/{action.slug}/")
    [replies] = credit["Event replies"].rows
    assert (replies.subject, replies.count) == ("Vigil in Geneva", 1), "a cancelled reply is not credited"
    text = page.content.decode()
    assert "Ban them now" in text and "Vigil in Geneva" in text
    assert f"/act/brought/{org_a.slug}/" in text, "the letters-per-action page is linked"


def test_the_profile_page_shows_the_totals_and_links_to_the_details(client, edna, org_a, brought):
    client.force_login(edna)

    page = client.get(f"/members/{org_a.slug}/edit/")

    totals = {str(kind.label): kind.total for kind in page.context["referral_credit"]}
    assert totals == {"Supporters who signed up": 3, "Letters confirmed": 3, "Event replies": 1}
    assert f"/members/{org_a.slug}/referrals/" in page.content.decode()


def test_another_organisations_editor_cannot_see_what_an_organisation_brought(client, edna, org_b, brought):
    client.force_login(edna)

    assert client.get(f"/members/{org_b.slug}/referrals/").status_code == 403


def test_staff_compare_organisations_by_what_their_links_brought(
    client, carol, org_a, org_b, brought, django_assert_num_queries
):
    OrganisationFactory(name="Gamma Care")  # brought nothing: not listed
    client.force_login(carol)

    page = client.get("/members/staff/referrals/")

    assert [str(label) for label in page.context["labels"]] == [
        "Supporters who signed up",
        "Event replies",
        "Letters confirmed",
    ]
    standings = [(s.organisation.name, s.totals) for s in page.context["standings"]]
    assert standings == [("Alpha Aid", [3, 1, 3]), ("Beta Relief", [0, 0, 1])]
    assert f"/members/{org_a.slug}/referrals/" in page.content.decode()
