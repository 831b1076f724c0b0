"""A second, unconfirmed sign-up with someone's address changes nothing until its own link is used."""

from __future__ import annotations

import pytest

from coalition.core.audit import Actor
from coalition.core.models import Email
from coalition.members.models import Supporter
from coalition.members.selectors import supporter_current_consents
from coalition.members.tests.test_supporters import FORM, _link

pytestmark = pytest.mark.django_db

STRANGER = {
    **FORM,
    "email": "LINA@example.org",
    "name": "Mallory Stranger",
    "country": "RU",
    "languages": ["fr"],
    "interests": ["research"],
    "consent_action_alerts": "on",
}


def _confirm_paths() -> list[str]:
    emails = Email.objects.filter(subject__startswith="Confirm").order_by("created_at", "id")
    return [_link(email.body_text, "/members/sign-up/confirm/") for email in emails]


def test_a_stranger_signing_up_again_with_a_pending_address_changes_nothing_the_owner_confirms(client):
    client.post("/members/sign-up/", FORM)
    client.post("/members/sign-up/", STRANGER)

    supporter = Supporter.objects.get()
    assert (supporter.name, supporter.country.code, supporter.languages) == ("Lina Supporter", "LB", ["ar", "en"])

    lina_link, _stranger_link = _confirm_paths()
    page = client.post(lina_link)

    supporter.refresh_from_db()
    assert "Mallory" not in page.text
    assert supporter.status == "confirmed"
    assert (supporter.name, supporter.country.code) == ("Lina Supporter", "LB")
    assert supporter.languages == ["ar", "en"] and supporter.interests == ["events", "treaty"]
    # Only the consents given with Lina's own submission took effect.
    assert supporter_current_consents(supporter) == {
        "newsletter": True,
        "action_alerts": False,
        "event_invitations": False,
    }
    assert supporter.consents.filter(confirmed_at__isnull=True, kind="action_alerts", granted=True).exists()


def test_the_link_of_a_later_sign_up_applies_only_what_that_sign_up_said(client):
    client.post("/members/sign-up/", STRANGER)  # someone else first, with Lina's address
    client.post("/members/sign-up/", {**FORM, "consent_newsletter": ""})

    _stranger_link, lina_link = _confirm_paths()
    client.post(lina_link)

    supporter = Supporter.objects.get()
    assert (supporter.name, supporter.country.code) == ("Lina Supporter", "LB")
    assert supporter.languages == ["ar", "en"] and supporter.interests == ["events", "treaty"]
    assert supporter_current_consents(supporter) == {
        "newsletter": False,
        "action_alerts": False,
        "event_invitations": False,
    }


def test_a_confirmed_supporters_details_are_never_overwritten_by_an_unconfirmed_sign_up(client):
    client.post("/members/sign-up/", {**FORM, "country": ""})
    client.post(_confirm_paths()[0])

    client.post("/members/sign-up/", STRANGER)

    supporter = Supporter.objects.get()
    assert supporter.name == "Lina Supporter" and not supporter.country
    assert supporter.languages == ["ar", "en"] and supporter.interests == ["events", "treaty"]
    assert supporter_current_consents(supporter)["action_alerts"] is False


def test_what_unconfirmed_sign_ups_said_is_deleted_on_erasure_and_after_the_confirmation_days(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from coalition.members.models import SignUp
    from coalition.members.supporters import supporter_erase, supporters_expire_unconfirmed

    client.post("/members/sign-up/", FORM)
    client.post(_confirm_paths()[0])
    client.post("/members/sign-up/", STRANGER)
    supporter = Supporter.objects.get()

    supporters_expire_unconfirmed(now=timezone.now() + timedelta(days=settings.MEMBERS_CONFIRM_DAYS + 1))
    assert not SignUp.objects.filter(name="Mallory Stranger").exists()
    assert Supporter.objects.get().status == "confirmed"

    supporter_erase(supporter=supporter, by=Actor.SUBJECT)
    assert not SignUp.objects.exists()
    assert supporter.consents.filter(confirmed_at__isnull=False).exists()  # the proof of consent stays
