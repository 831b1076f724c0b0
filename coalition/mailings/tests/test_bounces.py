"""Bounces and complaints: recorded per address from the bounce mailbox and a provider's webhook; a hard
bounce, three soft ones within the window, or a complaint stop bulk mail to the address."""

from __future__ import annotations

import base64
import io
import json
import mailbox
import re
from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from coalition.core.services import bounce_process
from coalition.core.tests.bounce_samples import dsn
from coalition.mailings import approval, bounces, selectors
from coalition.mailings.models import AddressEvent, Delivery, Suppression
from coalition.mailings.tests.factories import MailingFactory, MailingListFactory, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(carol, run_tasks):
    newsletter = MailingListFactory()
    ola = subscriber(newsletter, email="ola@example.org")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    run_tasks()
    return Delivery.objects.get(mailing=mailing, supporter=ola)


def test_a_hard_bounce_from_the_mailbox_is_recorded_and_suppresses_the_address(delivered):
    _bounce, matches = bounce_process(dsn(message_id=delivered.message_id, recipient="ola@example.org"))
    assert any(match.new for match in matches)
    event = AddressEvent.objects.get()
    assert (event.email, event.kind) == ("ola@example.org", "hard")
    assert "Recipient address rejected" in event.reason
    assert Suppression.objects.get().email == "ola@example.org"
    assert selectors.mailing_progress(delivered.mailing)["bounced"] == 1
    _bounce, again = bounce_process(dsn(message_id=delivered.message_id, recipient="ola@example.org"))
    assert not any(match.new for match in again) and AddressEvent.objects.count() == 1


def test_three_soft_bounces_within_the_window_suppress_two_do_not(db, settings):
    settings.MAILINGS_SOFT_BOUNCE_WINDOW_DAYS = 30
    old = AddressEvent.objects.create(email="rima@example.org", kind="soft", at=timezone.now() - timedelta(days=40))
    assert old.pk
    for n in range(2):
        bounces.address_event_record(email="rima@example.org", kind="soft", message_id=f"<{n}@x>")
    assert not Suppression.objects.exists(), "the one outside the window does not count"
    bounces.address_event_record(email="rima@example.org", kind="soft", message_id="<3@x>")
    assert Suppression.objects.get().reason == "3 soft bounces within 30 days"


def test_a_complaint_from_a_providers_webhook_suppresses_the_address(db):
    event = AnymailTrackingEvent(
        event_type="complained", recipient="Ines@Example.org", message_id="<abc@x>", description="spam report"
    )
    tracking.send(sender=object, event=event, esp_name="Postmark")
    recorded = AddressEvent.objects.get()
    assert (recorded.email, recorded.kind, recorded.source) == ("ines@example.org", "complaint", "webhook:Postmark")
    assert Suppression.objects.filter(email="ines@example.org").exists()
    tracking.send(sender=object, event=AnymailTrackingEvent(event_type="opened", recipient="x@example.org"))
    assert AddressEvent.objects.count() == 1, "opens are not recorded (no tracking)"


def test_a_suppressed_address_gets_no_more_mailings(delivered, carol, run_tasks):
    bounce_process(dsn(message_id=delivered.message_id, recipient="ola@example.org"))
    other = subscriber(delivered.mailing.mailing_list)
    mail.outbox.clear()
    second = MailingFactory(mailing_list=delivered.mailing.mailing_list, created_by=carol)
    approval.mailing_schedule(mailing=second, by=carol)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_a_server_refusing_an_address_for_good_fails_it_and_records_a_hard_bounce(carol, run_tasks, settings):
    import smtplib

    newsletter = MailingListFactory()
    subscriber(newsletter, email="gone@example.org")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    from unittest import mock

    refusal = smtplib.SMTPRecipientsRefused({"gone@example.org": (550, b"5.1.1 User unknown")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refusal):
        approval.mailing_schedule(mailing=mailing, by=carol)
        run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and "User unknown" in delivery.last_error
    assert Suppression.objects.filter(email="gone@example.org").exists()


def test_the_suppression_shows_on_the_staff_page(delivered, carol, client):
    bounce_process(dsn(message_id=delivered.message_id, recipient="ola@example.org"))
    client.force_login(carol)
    page = client.get("/mailings/staff/suppressions/").content.decode()
    assert "ola@example.org" in page and "Hard bounce" in page


def test_the_suppression_shows_on_the_supporters_staff_page(delivered, carol, client):
    bounce_process(dsn(message_id=delivered.message_id, recipient="ola@example.org"))
    client.force_login(carol)
    page = client.get("/members/staff/supporters/").content.decode()
    assert "Bulk mail suppressed: Hard bounce" in page


def test_a_message_the_mail_library_refuses_fails_alone_and_the_batch_goes_on(carol, run_tasks, settings):
    from unittest import mock

    from django.core.mail import EmailMessage

    newsletter = MailingListFactory()
    subscriber(newsletter, email="a@example.org")
    subscriber(newsletter, email="b@example.org")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    real_send = EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == ["a@example.org"]:
            raise ValueError("an address the library cannot encode")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        approval.mailing_schedule(mailing=mailing, by=carol)
        run_tasks()
    statuses = dict(Delivery.objects.values_list("supporter__email", "status"))
    assert statuses == {"a@example.org": "failed", "b@example.org": "sent"}
    assert [m.to for m in mail.outbox] == [["b@example.org"]]


POSTMARK_BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Email": "ola@example.org",
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "BouncedAt": "2026-11-05T16:33:54.9070259Z",
}


@pytest.fixture
def postmark_webhook(settings):
    settings.MAILINGS_WEBHOOK_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:s3cret-shared"}
    return "/mailings/provider-events/"


def _basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def test_a_providers_bounce_posted_with_the_secret_suppresses_the_address(db, client, postmark_webhook):
    response = client.post(
        postmark_webhook,
        json.dumps(POSTMARK_BOUNCE),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic("postmark:s3cret-shared"),
    )

    assert response.status_code == 200
    event = AddressEvent.objects.get()
    assert (event.email, event.kind, event.source) == ("ola@example.org", "hard", "webhook:Postmark")
    assert Suppression.objects.filter(email="ola@example.org").exists()


def test_a_complaint_posted_with_the_secret_suppresses_the_address(db, client, postmark_webhook):
    complaint = {**POSTMARK_BOUNCE, "RecordType": "SpamComplaint", "Type": "SpamComplaint", "TypeCode": 512}

    client.post(
        postmark_webhook,
        json.dumps(complaint),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic("postmark:s3cret-shared"),
    )

    assert AddressEvent.objects.get().kind == "complaint"
    assert Suppression.objects.filter(email="ola@example.org").exists()


@pytest.mark.parametrize("authorization", [None, "postmark:guessed", "other:s3cret-shared"])
def test_a_post_without_the_secret_records_nothing(db, client, postmark_webhook, authorization):
    headers = {"HTTP_AUTHORIZATION": _basic(authorization)} if authorization else {}

    response = client.post(postmark_webhook, json.dumps(POSTMARK_BOUNCE), content_type="application/json", **headers)

    assert response.status_code in {400, 401, 403}
    assert not AddressEvent.objects.exists()
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    ("provider", "secret"), [("", "postmark:s3cret-shared"), ("postmark", ""), ("mailgun", "mailgun:s3cret-shared")]
)
def test_without_a_provider_and_a_secret_the_webhook_is_not_there(db, client, settings, provider, secret):
    settings.MAILINGS_WEBHOOK_PROVIDER = provider
    settings.ANYMAIL = {"WEBHOOK_SECRET": secret}

    response = client.post(
        "/mailings/provider-events/",
        json.dumps(POSTMARK_BOUNCE),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(secret or "postmark:x"),
    )

    assert response.status_code == 404
    assert not AddressEvent.objects.exists()


def test_a_provider_without_a_secret_or_unknown_is_a_configuration_error(settings):
    from coalition.mailings.checks import webhook_provider_known_and_secret_set

    settings.MAILINGS_WEBHOOK_PROVIDER, settings.ANYMAIL = "postmark", {"WEBHOOK_SECRET": ""}
    assert [e.id for e in webhook_provider_known_and_secret_set(None)] == ["mailings.E002"]
    settings.MAILINGS_WEBHOOK_PROVIDER = "mailgun"
    assert [e.id for e in webhook_provider_known_and_secret_set(None)] == ["mailings.E001"]
    settings.MAILINGS_WEBHOOK_PROVIDER, settings.ANYMAIL = "postmark", {"WEBHOOK_SECRET": "u:p"}
    assert webhook_provider_known_and_secret_set(None) == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=12,
)
hostile_bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(json.dumps),
    st.fixed_dictionaries({key: json_values for key in ("RecordType", "Type", "Email", "MessageID")}).map(json.dumps),
    st.fixed_dictionaries({"RecordType": st.just("Bounce"), "Type": st.just("HardBounce"), "Email": json_values}).map(
        json.dumps
    ),
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=hostile_bodies)
def test_hostile_bodies_with_the_secret_never_fail_and_record_no_valid_address(db, client, postmark_webhook, body):
    response = client.post(
        postmark_webhook, body, content_type="application/json", HTTP_AUTHORIZATION=_basic("postmark:s3cret-shared")
    )

    assert response.status_code < 500
    for event in AddressEvent.objects.all():
        assert len(event.email) <= 254 and "\n" not in event.email


def test_a_provider_event_for_something_that_is_not_an_address_records_nothing(db):
    from coalition.mailings import bounces

    assert not bounces.address_event_record(email="x" * 250 + "@example.org", kind=AddressEvent.Kind.HARD)
    assert not bounces.address_event_record(email="{'not': 'an address'}", kind=AddressEvent.Kind.HARD)
    assert bounces.address_event_record(email=" Ana@Example.org ", kind=AddressEvent.Kind.HARD)
    assert list(AddressEvent.objects.values_list("email", flat=True)) == ["ana@example.org"]


@pytest.fixture
def mailto_copy(settings, carol, run_tasks):
    """A mailing sent with a List-Unsubscribe mailto address: (delivery, the mailto's address and subject)."""
    settings.MAILINGS_UNSUBSCRIBE_MAILTO = "unsubscribe@campaign.example.org"
    newsletter = MailingListFactory()
    ola = subscriber(newsletter, email="ola@example.org")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    run_tasks()
    header = next(m for m in mail.outbox if m.to == ["ola@example.org"]).extra_headers["List-Unsubscribe"]
    mailto = re.search(r"<mailto:([^?>]+)\?subject=([^>]+)>", header)
    assert mailto is not None
    return Delivery.objects.get(mailing=mailing, supporter=ola), mailto.group(1), mailto.group(2)


def _reply(to: str, subject: str) -> bytes:
    return (
        f"From: Ola <ola@example.org>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <reply-1@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease take me off.\r\n"
    ).encode()


def test_a_mail_to_the_list_unsubscribe_address_unsubscribes_that_recipient(mailto_copy):
    delivery, address, subject = mailto_copy

    _bounce, matches = bounce_process(_reply(address, subject))

    assert [match.new for match in matches] == [True]
    subscription = delivery.supporter.subscriptions.get()
    assert subscription.left_at is not None
    assert subscription.left_through == delivery.mailing
    assert delivery.supporter.consents.filter(granted=False, source="mailings:unsubscribe-mailto").exists()
    _bounce, again = bounce_process(_reply(address, f"Re: {subject}"))
    assert [match.new for match in again] == [False], "a second mail changes nothing"


def test_process_bounces_reads_the_unsubscribe_requests_of_its_mailbox(mailto_copy, tmp_path):
    delivery, address, subject = mailto_copy
    box = mailbox.Maildir(tmp_path / "box")
    box.add(_reply(address, subject))
    box.add(_reply(address, "Unsubscribe me please"))
    out = io.StringIO()

    call_command("process_bounces", str(tmp_path / "box"), stdout=out)

    assert "1 request(s) by mail (unsubscribe)" in out.getvalue()
    assert "1 not a bounce" in out.getvalue()
    assert delivery.supporter.subscriptions.get().left_at is not None


@pytest.mark.parametrize("subject", ["unsubscribe-" + "0" * 40, "unsubscribe", "Re: News for Ola"])
def test_a_mail_without_a_known_token_unsubscribes_nobody(mailto_copy, subject):
    delivery, address, _subject = mailto_copy

    _bounce, matches = bounce_process(_reply(address, subject))

    assert matches == []
    assert delivery.supporter.subscriptions.get().left_at is None
