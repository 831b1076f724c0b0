"""Transactional e-mail: rendered from templates, delivered by a task, kept in the outbox without SMTP."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from coalition.core import delivery, services
from coalition.core.models import Email, OutboxMessage

pytestmark = pytest.mark.django_db


def test_an_email_sent_by_a_task_appears_in_the_outbox(outbox_backend, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.email_send(
            to="ana@example.org",
            template="password-reset",
            context={"email": "ana@example.org", "uid": "MQ", "token": "abc-123", "protocol": "http"},
        )
    assert OutboxMessage.objects.count() == 0, "nothing is sent inside the request"

    run_tasks()

    kept = OutboxMessage.objects.get()
    assert kept.to == "ana@example.org"
    assert kept.subject == "Choose a new password for Cluster Munition Coalition"
    assert "/accounts/reset/MQ/abc-123/" in kept.body_text
    assert 'href="http://127.0.0.1:8000/accounts/reset/MQ/abc-123/"' in kept.body_html
    assert kept.message_id == email.message_id
    email.refresh_from_db()
    assert email.status == Email.Status.SENT


def test_delivering_the_same_email_twice_sends_it_once(outbox_backend):
    email = services.email_queue(to="ana@example.org", subject="Once", body_text="Only once")

    assert delivery.email_deliver(email_id=email.pk) == "sent"
    assert delivery.email_deliver(email_id=email.pk) == "already sent"
    assert OutboxMessage.objects.count() == 1


def test_a_failing_mail_server_is_retried_then_recorded_as_failed(settings, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(LocmemBackend, "send_messages", refuse)
    email = services.email_queue(to="ana@example.org", subject="Retry", body_text="Hello")

    for _attempt in delivery.EMAIL_RETRY_DELAYS:
        assert delivery.email_deliver(email_id=email.pk) == "retry"
    assert delivery.email_deliver(email_id=email.pk) == "failed"

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert "mail server down" in email.last_error
    assert mail.outbox == []


def test_smtp_delivery_carries_the_message_id_fixed_when_queued():
    email = services.email_queue(to="ana@example.org", subject="Hi", body_text="Text", body_html="<p>HTML</p>")
    delivery.email_deliver(email_id=email.pk)

    [sent] = mail.outbox
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert sent.alternatives[0][0] == "<p>HTML</p>"
