"""Delivery to officials through a real local SMTP server: once, with a fixed Message-ID and the writer's
address as Reply-To; retried with back-off while the server refuses; failures recorded with their reason."""

from __future__ import annotations

import pytest

from coalition.letters import delivery, services, tokens
from coalition.letters.models import Action, ActionCount, Message, PositionBounce
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def confirmed_message(action) -> Message:
    letter = write(action, email="ana@example.org")
    services.letter_confirm(letter=letter)
    return Message.objects.get(letter=letter)


def test_a_confirmed_letter_is_delivered_once_with_reply_to_and_the_message_id_fixed_when_queued(
    client, action, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    smtp_server.start()
    letter = write(action, email="ana@example.org")
    message = Message.objects.get()
    fixed_id = message.message_id
    token = tokens.letter_token(letter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/act/confirm/{token}/")
    assert response.status_code == 200
    assert "Your letter is confirmed" in response.text
    run_tasks()

    # The writer's own confirmation e-mail goes through the same server; the official gets one message.
    [received] = [m for m in smtp_server.sink.received if m["To"] == "minister@mfa.no.example"]
    assert received["Message-ID"] == fixed_id
    assert received["To"] == "minister@mfa.no.example"
    assert received["Reply-To"] == "ana@example.org"
    assert "Ana Writer via" in received["From"]
    assert received.get_payload().startswith("Dear Espen Barth Eide,\r\n\r\nI am writing to ask")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.sent_at is not None

    assert delivery.message_deliver(message_id=message.pk) == "skipped (sent)"
    assert [m["To"] for m in smtp_server.sink.received].count("minister@mfa.no.example") == 1, (
        "never sent again once recorded as sent"
    )
    action.refresh_from_db()
    assert (action.confirmed_count, action.sent_count) == (1, 1)
    assert ActionCount.objects.get(action=action).sent == 1


def test_a_server_that_is_down_then_refuses_then_accepts_gets_the_message_once(action, smtp_server, settings):
    settings.LETTERS_RETRY_DELAYS_SECONDS = ["0", "0", "0", "0"]
    message = confirmed_message(action)

    assert delivery.message_deliver(message_id=message.pk) == "retry", "connection refused: server down"
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error

    smtp_server.start()
    smtp_server.sink.refuse = "451 4.3.0 Try again later"
    assert delivery.message_deliver(message_id=message.pk) == "retry", "a temporary refusal"
    message.refresh_from_db()
    assert "451" in message.last_error

    smtp_server.sink.refuse = ""
    assert delivery.message_deliver(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 3 and message.last_error == ""
    assert smtp_server.sink.message_ids() == [message.message_id]


def test_retries_back_off_and_the_next_attempt_is_scheduled_for_later(
    action, smtp_server, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.LETTERS_RETRY_DELAYS_SECONDS = ["60", "300"]
    message = confirmed_message(action)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.message_deliver(message_id=message.pk) == "retry"

    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == [message.pk]
    assert 50 <= (retry.run_after - timezone.now()).total_seconds() <= 61
    message.refresh_from_db()
    assert message.send_after == retry.run_after


def test_a_server_that_keeps_refusing_marks_the_message_failed_with_the_reason(action, smtp_server, settings):
    settings.LETTERS_RETRY_DELAYS_SECONDS = ["0", "0"]
    smtp_server.start()
    smtp_server.sink.refuse = "421 4.7.0 Too busy"
    message = confirmed_message(action)

    results = [delivery.message_deliver(message_id=message.pk) for _ in range(3)]

    assert results == ["retry", "retry", "failed"]
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "421" in message.last_error
    assert smtp_server.sink.received == []


def test_an_address_the_officials_server_rejects_fails_at_once_and_is_recorded_against_the_position(
    action, minister, smtp_server
):
    smtp_server.start()
    smtp_server.sink.refuse = "550 5.1.1 No such user"
    message = confirmed_message(action)

    assert delivery.message_deliver(message_id=message.pk) == "failed"

    bounce = PositionBounce.objects.get()
    assert bounce.position == minister and bounce.email == "minister@mfa.no.example"
    assert "550" in bounce.reason
    minister.refresh_from_db()
    assert minister.bounce_count == 1
    from coalition.letters import selectors

    assert minister in selectors.positions_needing_attention()


def test_a_message_leased_by_another_worker_is_not_sent_twice(action, smtp_server):
    from datetime import timedelta

    from django.utils import timezone

    smtp_server.start()
    message = confirmed_message(action)
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() + timedelta(minutes=1))

    assert delivery.message_deliver(message_id=message.pk) == "leased"
    assert smtp_server.sink.received == []


def test_the_counts_per_state_come_from_kept_counts(action):
    for n in range(3):
        services.letter_confirm(
            letter=write(action, email=f"w{n}@example.org", body=action.letter_template + f" {n}" * n)
        )
    assert Action.objects.get(pk=action.pk).confirmed_count == 3
    from coalition.letters import selectors

    [row] = selectors.action_counts_by_state(action)
    assert (row.iso3, row.confirmed) == ("NOR", 3)
