"""Mailings from draft to sent: merge fields, language versions, bad input, approval, pause/resume/cancel,
RFC 8058 headers and exactly-once in one process (the crash test is in test_delivery_crash.py)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.db import connection
from django.utils import timezone

from coalition.accounts.tests.factories import UserFactory
from coalition.core.models import AuditEntry, Email
from coalition.letters.tests.smtp import Sink, SMTPServer
from coalition.mailings import approval, delivery, services
from coalition.mailings.models import Delivery, Mailing, MailingVersion, Suppression
from coalition.mailings.tests.factories import MailingFactory, MailingListFactory, SegmentFactory, subscriber
from coalition.members.models import ConsentRecord
from coalition.members.supporters import supporter_erase
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter():
    return MailingListFactory(name="Newsletter", slug="newsletter")


def send_all(mailing, carol, run_tasks, send_at=None):
    approval.mailing_schedule(mailing=mailing, by=carol, send_at=send_at)
    run_tasks()
    mailing.refresh_from_db()
    return mailing


def test_joining_and_leaving_a_list_each_leave_a_consent_record(newsletter):
    supporter = subscriber(newsletter, name="Ola Nordmann")
    services.list_leave(supporter=supporter, mailing_list=newsletter, source="test")
    records = ConsentRecord.objects.filter(supporter=supporter).order_by("created_at", "pk")
    assert [(r.kind, r.granted, r.text) for r in records] == [
        ("newsletter", True, newsletter.consent_text),
        ("newsletter", False, newsletter.consent_text),
    ]


def test_a_list_without_consent_text_takes_nobody_and_cannot_be_mailed(carol):
    no_consent = MailingListFactory(consent_text="")
    with pytest.raises(services.MailingError, match="no consent text"):
        services.list_join(supporter=SupporterFactory(), mailing_list=no_consent, source="test")
    mailing = MailingFactory(mailing_list=no_consent, created_by=carol)
    with pytest.raises(services.MailingError, match="no consent text"):
        approval.mailing_schedule(mailing=mailing, by=carol)


def test_each_recipient_gets_their_merge_fields_and_their_language(newsletter, carol, run_tasks):
    ola = subscriber(newsletter, name="Ola Nordmann", country="NO", language="en")
    ines = subscriber(newsletter, name="Inès Dupont", country="FR", language="fr")
    nameless = subscriber(newsletter, name="", country="LB", language="es")  # no Spanish version: the default
    mailing = MailingFactory(
        mailing_list=newsletter, created_by=carol, body="Hello {{ first_name | friend }} in {{ state }}."
    )
    MailingVersion.objects.create(
        mailing=mailing, language="fr", subject="Nouvelles pour {{ first_name }}", body="Bonjour {{ first_name }}."
    )
    send_all(mailing, carol, run_tasks)
    by_to = {message.to[0]: message for message in mail.outbox}
    assert by_to[ola.email].subject == "News for Ola"
    assert "Hello Ola in Norway." in by_to[ola.email].body
    assert by_to[ines.email].subject == "Nouvelles pour Inès"
    assert "Bonjour Inès." in by_to[ines.email].body
    assert by_to[nameless.email].subject == "News for friend"
    assert "Hello friend in Lebanon." in by_to[nameless.email].body
    html = by_to[ola.email].alternatives[0][0]
    assert "Hello Ola in Norway." in html and "<html" in html


def test_merge_values_are_escaped_in_html_and_markdown_is_sanitised(newsletter, carol, run_tasks):
    evil = subscriber(newsletter, name="<script>alert(1)</script> Evil")
    mailing = MailingFactory(
        mailing_list=newsletter, created_by=carol, body="Hi {{ first_name }} <b>raw</b> [x](javascript:alert(1))"
    )
    send_all(mailing, carol, run_tasks)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and 'href="javascript' not in html
    assert mail.outbox[0].to == [evil.email]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": "Hello {{ last_name }}"}, "There is no merge field “last_name”"),
        ({"subject": "News {{ first_name "}, "A merge field is not closed"),
    ],
)
def test_an_unknown_or_broken_merge_field_is_refused_when_saving(newsletter, carol, change, message):
    fields = {"subject": "News", "preheader": "", "body": "Hello", **change}
    with pytest.raises(services.MailingError, match=message):
        approval.mailing_save(by=carol, name="June", mailing_list=newsletter, segment=None, language="en", **fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": ""}, "The mailing has no subject."),
        ({"body": ""}, "The mailing has no text"),
    ],
)
def test_bad_mailings_are_refused_with_a_message_and_nothing_is_sent(newsletter, carol, run_tasks, fields, message):
    subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol, **fields)
    with pytest.raises(services.MailingError, match=message):
        approval.mailing_schedule(mailing=mailing, by=carol)
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT and mail.outbox == []


def test_an_empty_segment_or_a_past_send_time_is_refused(newsletter, carol):
    subscriber(newsletter, country="FR")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol, segment=SegmentFactory(rules={"state": "NO"}))
    with pytest.raises(services.MailingError, match="Nobody is in this audience"):
        approval.mailing_schedule(mailing=mailing, by=carol)
    mailing.segment = None
    mailing.save()
    with pytest.raises(services.MailingError, match="The send time is in the past."):
        approval.mailing_schedule(mailing=mailing, by=carol, send_at=timezone.now() - timedelta(hours=1))


def test_recipients_are_computed_at_send_time_not_when_scheduled(newsletter, carol, run_tasks):
    subscriber(newsletter, country="NO")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol, segment=SegmentFactory(rules={"state": "NO"}))
    later = timezone.now() + timedelta(hours=2)
    approval.mailing_schedule(mailing=mailing, by=carol, send_at=later)
    late_joiner = subscriber(newsletter, country="NO")
    assert run_tasks() == 0  # the start waits for its time
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now())
    delivery.mailings_keep_going()
    run_tasks()
    assert late_joiner.email in {message.to[0] for message in mail.outbox}
    assert len(mail.outbox) == 2


def test_the_send_time_is_read_in_the_senders_time_zone():
    from coalition.mailings.forms import SendForm

    form = SendForm({"when": "later", "send_at": "2031-05-01T09:00", "zone": "Europe/Oslo"})
    assert form.is_valid(), form.errors
    assert form.moment().astimezone(UTC).hour == 7  # 09:00 in Oslo in summer is 07:00 UTC


def test_every_bulk_message_carries_rfc_8058_headers_and_a_fixed_message_id(newsletter, carol, run_tasks):
    supporter = subscriber(newsletter)
    mailing = send_all(MailingFactory(mailing_list=newsletter, created_by=carol), carol, run_tasks)
    message = mail.outbox[0]
    delivery = Delivery.objects.get(mailing=mailing, supporter=supporter)
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://campaign.example.org/mailings/unsubscribe/")
    token = message.extra_headers["List-Unsubscribe"].split("/unsubscribe/")[1].split("/")[0]
    assert token not in delivery.token_hash and len(token) >= 32  # only its hash is stored
    assert f"/mailings/unsubscribe/{token}/" in message.body


def test_the_mailto_unsubscribe_is_offered_when_configured(newsletter, carol, run_tasks, settings):
    settings.MAILINGS_UNSUBSCRIBE_MAILTO = "unsubscribe@campaign.example.org"
    subscriber(newsletter)
    send_all(MailingFactory(mailing_list=newsletter, created_by=carol), carol, run_tasks)
    assert (
        "<mailto:unsubscribe@campaign.example.org?subject=unsubscribe-"
        in mail.outbox[0].extra_headers["List-Unsubscribe"]
    )


def test_transactional_mail_carries_no_unsubscribe(outbox_backend, run_tasks):
    from coalition.core.models import OutboxMessage
    from coalition.core.services import email_queue

    email_queue(to="someone@example.org", subject="Please confirm", body_text="Confirm here")
    run_tasks()
    assert not any(name.startswith("List-") for name in OutboxMessage.objects.get().headers)


def test_a_retried_batch_never_sends_again_what_was_recorded_as_sent(newsletter, carol, run_tasks):
    for _ in range(5):
        subscriber(newsletter)
    mailing = send_all(MailingFactory(mailing_list=newsletter, created_by=carol), carol, run_tasks)
    assert mailing.status == Mailing.Status.SENT and len(mail.outbox) == 5
    delivery.deliveries_send_batch(mailing_id=mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)
    delivery.deliveries_send_batch(mailing_id=mailing.pk)
    run_tasks()
    assert len(mail.outbox) == 5


def test_unsubscribed_erased_or_suppressed_after_the_recipients_were_computed_are_not_mailed(
    newsletter, carol, run_tasks, settings
):
    settings.MAILINGS_BATCH_SIZE = 10
    kept, left, erased, bounced = (subscriber(newsletter) for _ in range(4))
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    delivery.mailing_start(mailing_id=mailing.pk)  # recipients computed: all four
    assert Delivery.objects.filter(mailing=mailing).count() == 4
    services.list_leave(supporter=left, mailing_list=newsletter, source="test")
    supporter_erase(supporter=erased, by=carol)
    Suppression.objects.create(email=bounced.email, reason="Hard bounce")
    run_tasks()
    assert [message.to for message in mail.outbox] == [[kept.email]]
    assert Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SKIPPED).count() == 3


def test_above_the_threshold_a_second_campaigner_or_an_admin_approves(newsletter, carol, alice, run_tasks):
    from django.contrib.auth.models import Group

    from coalition.accounts.roles import Role
    from coalition.accounts.tests.factories import UserFactory

    for _ in range(6):  # the threshold in these tests is 5
        subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.AWAITING_APPROVAL and mail.outbox == []
    with pytest.raises(services.MailingError, match="not by whoever prepared it"):
        approval.mailing_approve(mailing=mailing, by=carol)
    colin = UserFactory(email="colin@example.org", is_staff=True)
    colin.groups.add(Group.objects.get(name=Role.CAMPAIGNER))
    approval.mailing_approve(mailing=mailing, by=colin)
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT and len(mail.outbox) == 6
    assert mailing.approved_by == colin
    actions = set(AuditEntry.objects.filter(object_id=str(mailing.pk)).values_list("action", flat=True))
    assert {"mailing.send", "mailing.approve", "mailing.start"} <= actions


def test_an_administrator_may_approve_their_own(newsletter, alice, run_tasks):
    for _ in range(6):
        subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=alice)
    approval.mailing_schedule(mailing=mailing, by=alice)
    approval.mailing_approve(mailing=mailing, by=alice)
    run_tasks()
    assert len(mail.outbox) == 6


def test_pause_resume_and_cancel(newsletter, carol, run_tasks, settings):
    settings.MAILINGS_APPROVAL_THRESHOLD = 100
    for _ in range(9):
        subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    delivery.mailing_start(mailing_id=mailing.pk)
    delivery.deliveries_send_batch(mailing_id=mailing.pk)  # one batch of 3
    approval.mailing_pause(mailing=mailing, by=carol)
    run_tasks()
    assert len(mail.outbox) == 3
    approval.mailing_resume(mailing=mailing, by=carol)
    delivery.deliveries_send_batch(mailing_id=mailing.pk)  # 3 more, then cancel
    approval.mailing_cancel(mailing=mailing, by=carol)
    run_tasks()
    mailing.refresh_from_db()
    assert len(mail.outbox) == 6 and mailing.status == Mailing.Status.CANCELLED
    assert Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SKIPPED).count() == 3
    actions = list(AuditEntry.objects.filter(object_id=str(mailing.pk)).values_list("action", flat=True))
    assert {"mailing.pause", "mailing.resume", "mailing.cancel"} <= set(actions)


def test_a_test_send_goes_to_the_campaigner_alone_through_the_queue(newsletter, carol, run_tasks):
    subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_test_send(mailing=mailing, by=carol)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[carol.email]]
    assert mail.outbox[0].subject == "[Test] News for Carol"
    assert Email.objects.get().to == carol.email
    assert not Delivery.objects.exists()


def test_a_batch_stops_before_its_lease_runs_out_and_leaves_the_rest_to_the_next(newsletter, carol, settings):
    from unittest import mock

    settings.MAILINGS_BATCH_SIZE, settings.MAILINGS_LEASE_SECONDS, settings.EMAIL_TIMEOUT = 10, 100, 30
    for _ in range(4):
        subscriber(newsletter)
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
    delivery.mailing_start(mailing_id=mailing.pk)
    start = timezone.now()
    moments = iter([start] * 5)  # the batch starts, sends two messages; then the lease is 20 s from its end
    with mock.patch("coalition.mailings.delivery.timezone.now", lambda: next(moments, start + timedelta(seconds=80))):
        delivery.deliveries_send_batch(mailing_id=mailing.pk)
    assert len(mail.outbox) == 2
    left = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.QUEUED)
    assert left.count() == 2 and not left.filter(lease_until__isnull=False).exists()


class RecordingSink(Sink):
    """At each message's DATA, how many deliveries the database already holds as sent (another connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_before: list[int] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sent_before.append(await sync_to_async(self._sent, thread_sensitive=False)())
        return await super().handle_DATA(server, session, envelope)

    @staticmethod
    def _sent() -> int:
        try:
            return Delivery.objects.filter(status=Delivery.Status.SENT).count()
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_each_message_is_recorded_as_sent_before_the_server_can_accept_the_next(settings):
    """The bound of the crash test, checked at the server over a real SMTP connection in autocommit (on
    PostgreSQL the marks' commits overlap the next envelope, sending.py): message n's DATA comes after the
    n - 1 before it are committed as sent, so a worker killed then repeats only the message in flight."""
    server = SMTPServer()
    server.sink = RecordingSink()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.MAILINGS_BATCH_SIZE = 10
    try:
        newsletter = MailingListFactory()
        for n in range(4):
            subscriber(newsletter, email=f"reader{n}@example.org", name=f"Reader {n}")
        carol = UserFactory(email="carol@example.org", is_superuser=True)
        mailing = MailingFactory(mailing_list=newsletter, created_by=carol)
        approval.mailing_schedule(mailing=mailing, by=carol)
        delivery.mailing_start(mailing_id=mailing.pk)

        assert delivery.deliveries_send_batch(mailing_id=mailing.pk).startswith("4 sent")
    finally:
        server.stop()

    assert server.sink.sent_before == [0, 1, 2, 3]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4
    assert sorted(server.sink.message_ids()) == sorted(Delivery.objects.values_list("message_id", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on", "the batch gives the connection back as it found it"
