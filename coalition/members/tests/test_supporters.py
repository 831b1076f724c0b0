"""Supporters: double opt-in sign-up with consent records, merging, expiry, download and erasure."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from coalition.core.models import Email, OutboxMessage
from coalition.members.models import ConsentRecord, Supporter
from coalition.members.supporters import CONFIRM_SALT, supporters_expire_unconfirmed
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory
from coalition.members.tests.form_data import APPLICATION

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Lina Supporter",
    "email": "Lina@Example.org",
    "country": "LB",
    "languages": ["ar", "en"],
    "interests": ["treaty", "events"],
    "consent_newsletter": "on",
}


def _link(body: str, pattern: str) -> str:
    match = re.search(rf"https?://[^\s\"]+{pattern}[^\s\"]+/", body)
    assert match, body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _confirm_path() -> str:
    email = Email.objects.filter(subject__startswith="Confirm").latest("created_at")
    return _link(email.body_text, "/members/sign-up/confirm/")


def test_signing_up_keeps_the_supporter_pending_with_consent_records_and_sends_a_confirmation(post_and_send):
    response = post_and_send("/members/sign-up/", FORM)

    assert response.status_code == 302 and response["Location"] == "/members/sign-up/thanks/"
    supporter = Supporter.objects.get()
    assert supporter.email == "lina@example.org"
    assert supporter.status == "pending"
    assert supporter.languages == ["ar", "en"] and supporter.interests == ["events", "treaty"]
    consents = {record.kind: record for record in supporter.consents.all()}
    assert consents["newsletter"].granted is True
    assert consents["action_alerts"].granted is False
    assert consents["newsletter"].text_version == "2025-01"
    assert consents["newsletter"].source == "members:sign-up"
    assert "newsletter" in consents["newsletter"].text
    assert all(record.confirmed_at is None for record in consents.values())
    [message] = OutboxMessage.objects.all()
    assert message.to == "lina@example.org"
    assert "/members/sign-up/confirm/" in message.body_text


def test_the_confirmation_link_confirms_on_post_only(client):
    client.post("/members/sign-up/", FORM)
    path = _confirm_path()

    assert client.get(path).status_code == 200  # a mail scanner opening the link confirms nothing
    assert Supporter.objects.get().status == "pending"
    response = client.post(path)

    assert response.status_code == 200 and "confirmed" in response.text
    supporter = Supporter.objects.get()
    assert supporter.status == "confirmed" and supporter.confirmed_at is not None
    assert not supporter.consents.filter(confirmed_at__isnull=True).exists()
    assert client.post(path).status_code == 200  # a second click is harmless


def test_after_confirming_the_page_gives_the_next_step_and_plain_share_links(client, settings):
    settings.SITE_URL = "https://coalition.example"
    client.post("/members/sign-up/", FORM)

    response = client.post(_confirm_path())

    assert "Next step" in response.text and 'href="/act/"' in response.text
    assert "https://wa.me/?text=" in response.text and "https%3A%2F%2Fcoalition.example%2F" in response.text


def test_a_tampered_or_expired_link_is_refused(client, settings):
    client.post("/members/sign-up/", FORM)
    path = _confirm_path()

    assert client.post(path[:-3] + "xx/").status_code == 400
    settings.MEMBERS_CONFIRM_DAYS = 0
    assert client.post(path).status_code == 400
    assert Supporter.objects.get().status == "pending"


def _readable_part(path: str) -> bytes:
    """What anyone who finds the link in a log can read without the site's key: its signed payload."""
    token = path.rstrip("/").rsplit("/", 1)[1]
    return signing.b64_decode(token.split(":")[0].encode())


@pytest.mark.parametrize("link", ["confirm", "data"])
def test_a_supporters_link_holds_neither_the_address_nor_a_hash_anyone_could_match(client, link):
    client.post("/members/sign-up/", FORM)
    path = _confirm_path() if link == "confirm" else _data_path(client, "lina@example.org")

    readable = _readable_part(path).decode()

    plain_hash = hashlib.sha256(b"lina@example.org").hexdigest()
    assert "lina" not in readable.lower() and "example" not in readable
    assert not any(plain_hash[start : start + 8] in readable for start in range(len(plain_hash) - 8))
    assert client.get(path).status_code == 200


def test_a_link_sent_before_the_fingerprint_was_keyed_still_confirms_while_it_is_valid(client):
    client.post("/members/sign-up/", FORM)
    supporter = Supporter.objects.get()
    old_payload = {
        "s": supporter.pk,
        "e": hashlib.sha256(b"lina@example.org").hexdigest()[:16],
        "u": supporter.sign_ups.get().pk,
    }
    old = signing.dumps(old_payload, salt=CONFIRM_SALT)

    response = client.post(f"/members/sign-up/confirm/{old}/")

    assert response.status_code == 200 and Supporter.objects.get().status == "confirmed"


def test_signing_up_twice_with_the_same_address_in_any_case_merges_into_one_supporter(client):
    client.post("/members/sign-up/", FORM)
    client.post(_confirm_path())

    client.post(
        "/members/sign-up/",
        {
            **FORM,
            "email": "LINA@EXAMPLE.ORG",
            "name": "Someone Else",
            "interests": ["research"],
            "consent_action_alerts": "on",
        },  # fmt: skip
    )

    supporter = Supporter.objects.get()
    assert supporter.name == "Lina Supporter"  # a confirmed supporter's name is not overwritten
    assert supporter.interests == ["events", "treaty"]  # nor anything else, until the new link is used
    assert supporter.status == "confirmed"
    from coalition.members.selectors import supporter_current_consents

    # The new consent and interests wait for the new confirmation link.
    assert supporter_current_consents(supporter)["action_alerts"] is False
    client.post(_confirm_path())
    supporter.refresh_from_db()
    assert supporter_current_consents(supporter)["action_alerts"] is True
    assert supporter.name == "Lina Supporter" and supporter.interests == ["events", "research", "treaty"]


def test_a_bot_that_fills_the_honeypot_sees_the_same_page_and_nothing_is_stored(client):
    response = client.post("/members/sign-up/", {**FORM, "fax_number": "555"})

    assert response.status_code == 302 and response["Location"] == "/members/sign-up/thanks/"
    assert not Supporter.objects.exists() and not Email.objects.exists()


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get("/members/sign-up/").text

    assert 'name="fax_number"' in html and 'class="trap"' in html and 'tabindex="-1"' in html


def test_sign_ups_are_rate_limited_per_address(client, settings):
    settings.MEMBERS_SIGNUP_RATE_PER_EMAIL = "2/h"
    client.post("/members/sign-up/", FORM)
    client.post("/members/sign-up/", FORM)

    response = client.post("/members/sign-up/", FORM)

    assert response.status_code == 429
    assert Email.objects.count() == 2


def test_unconfirmed_sign_ups_expire_and_confirmed_ones_stay(db, settings):
    settings.MEMBERS_CONFIRM_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    stale = SupporterFactory(status="pending", confirmed_at=None, created_at=old)
    ConsentRecord.objects.create(
        supporter=stale, kind="newsletter", granted=True, text="t", text_version="1", source="x"
    )
    fresh = SupporterFactory(status="pending", confirmed_at=None)
    confirmed = SupporterFactory(created_at=old)

    assert supporters_expire_unconfirmed() == 1
    assert supporters_expire_unconfirmed() == 0  # idempotent
    assert set(Supporter.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_the_expiry_command_reports_what_it_deleted(db):
    from io import StringIO

    from django.core.management import call_command

    SupporterFactory(status="pending", confirmed_at=None, created_at=timezone.now() - timedelta(days=30))
    out = StringIO()
    call_command("expire_supporters", stdout=out)

    assert "Deleted 1 sign-up" in out.getvalue()


def test_a_referral_link_credits_the_organisation_for_the_sign_up(client):
    organisation = OrganisationFactory(slug="alpha-aid")

    client.get("/members/?ref=alpha-aid")  # the visitor arrives through the organisation's link
    client.post("/members/sign-up/", FORM)

    assert Supporter.objects.get().referred_by == organisation


def test_a_referral_to_an_unknown_or_non_member_organisation_credits_nobody(client):
    OrganisationFactory(slug="applicant-org", status="applicant")

    client.post("/members/sign-up/?ref=applicant-org", FORM)

    assert Supporter.objects.get().referred_by is None


def _data_path(client, email: str) -> str:
    client.post("/members/my-data/", {"email": email})
    message = Email.objects.filter(subject__startswith="Your data").latest("created_at")
    return _link(message.body_text, "/members/my-data/")


def test_a_supporter_downloads_all_their_data_as_json(client):
    client.post("/members/sign-up/", FORM)
    path = _data_path(client, "LINA@example.org")

    response = client.get(path + "?format=json")

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["email"] == "lina@example.org" and data["name"] == "Lina Supporter"
    assert {consent["kind"] for consent in data["consents"]} == {"newsletter", "action_alerts", "event_invitations"}
    assert data["consents"][0]["text_version"] == "2025-01"


def test_asking_for_the_data_link_of_an_unknown_address_reveals_nothing(client):
    response = client.post("/members/my-data/", {"email": "nobody@example.org"})

    assert "we have sent it a link to your data" in response.text
    assert not Email.objects.exists()


def test_a_supporter_erases_themselves_and_the_counts_stay(client):
    organisation = OrganisationFactory(slug="alpha-aid")
    client.post("/members/sign-up/?ref=alpha-aid", FORM)
    client.post(_confirm_path())
    path = _data_path(client, "lina@example.org")

    response = client.post(path, {"confirm": "on"})

    assert "erased" in response.text
    supporter = Supporter.objects.get()
    assert supporter.status == "erased"
    assert supporter.email is None and supporter.name == "" and supporter.interests == []
    assert Supporter.objects.filter(country="LB").count() == 1  # aggregate counts stay
    assert supporter.referred_by == organisation
    from coalition.members.selectors import supporter_current_consents

    assert not any(supporter_current_consents(supporter).values())  # every consent withdrawn
    assert client.get(path).status_code == 400  # the link dies with the data


def test_erasing_needs_the_explicit_confirmation(client):
    client.post("/members/sign-up/", FORM)
    path = _data_path(client, "lina@example.org")

    client.post(path, {})

    assert Supporter.objects.get().status == "pending"


def test_an_anonymous_visitor_never_sees_a_supporters_email_anywhere(client):
    organisation = OrganisationFactory(slug="alpha-aid", name="Alpha Aid")
    SupporterFactory(email="hidden.person@example.org", name="Hidden Person", referred_by=organisation)

    pages = [
        "/",
        "/members/",
        "/members/alpha-aid/",
        "/members/join/",
        "/members/sign-up/",
        "/api/v1/organisations/",
        "/api/v1/organisations/?format=csv",
        "/api/v1/organisations/alpha-aid/",
        "/members/staff/supporters/",
        "/members/staff/supporters/?format=csv",
        "/api/schema/?format=json",
    ]
    for path in pages:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"hidden.person" not in body, path
        assert b"Hidden Person" not in body, path


@pytest.mark.parametrize(
    ("url", "form", "key", "rate", "thanks"),
    [
        ("/members/sign-up/", FORM, "MEMBERS_SIGNUP_RATE_PER_EMAIL", "1/h", "/members/sign-up/thanks/"),
        (
            "/members/join/",
            APPLICATION,
            "MEMBERS_APPLICATION_RATE_PER_EMAIL",
            "1/d",
            "/members/join/thanks/",
        ),
    ],
)
def test_a_public_form_checks_the_honeypot_then_the_limit_then_the_fields(
    client, settings, url, form, key, rate, thanks
):
    setattr(settings, key, rate)
    # Bots are thanked like people and do not use up the address's limit.
    for _attempt in range(3):
        assert client.post(url, {**form, "fax_number": "555"})["Location"] == thanks
    assert client.post(url, form)["Location"] == thanks

    over = client.post(url, {**form, "country": "XX"})
    assert over.status_code == 429
    assert "Too many" in over.text and "XX" in str(over.context["form"].errors.get("country", ""))
    # Over the limit, a bot is still thanked.
    assert client.post(url, {**form, "fax_number": "555"})["Location"] == thanks
