"""Bounces and complaints: recorded per address from the bounce mailbox and a provider's webhook; a hard
bounce, three soft ones within the window, or a complaint stop bulk mail to the address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.utils import timezone

from coalition.core.services import bounce_process
from coalition.core.tests.bounce_samples import dsn
from coalition.mailings import selectors, services
from coalition.mailings.models import AddressEvent, Delivery, Suppression
from coalition.mailings.tests.factories import MailingFactory, MailingListFactory, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(carol, run_tasks):
    newsletter = MailingListFactory()
    ola = subscriber(newsletter, email="ola@example.org")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    services.mailing_schedule(mailing=mailing, by=carol)
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
        services.address_event_record(email="rima@example.org", kind="soft", message_id=f"<{n}@x>")
    assert not Suppression.objects.exists(), "the one outside the window does not count"
    services.address_event_record(email="rima@example.org", kind="soft", message_id="<3@x>")
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
    services.mailing_schedule(mailing=second, by=carol)
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
        services.mailing_schedule(mailing=mailing, by=carol)
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
        services.mailing_schedule(mailing=mailing, by=carol)
        run_tasks()
    statuses = dict(Delivery.objects.values_list("supporter__email", "status"))
    assert statuses == {"a@example.org": "failed", "b@example.org": "sent"}
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
