"""Bounces that come back after a letter was sent: recorded against the official's position, the message
failed after all, the counters back down, never twice; a writer's own bounce is not the official's."""

from __future__ import annotations

import pytest

from coalition.core.models import Email
from coalition.core.services import bounce_process
from coalition.core.tests.bounce_samples import dsn
from coalition.letters import services
from coalition.letters.models import Action, ActionCount, Message, PositionBounce
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(action, run_tasks, outbox_backend):
    """A letter confirmed and delivered to the minister."""
    letter = write(action)
    services.letter_confirm(letter=letter)
    run_tasks()
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    return message


def test_a_bounce_after_sending_fails_the_message_and_is_recorded_against_the_position(sent, minister, action):
    bounce, matches = bounce_process(dsn(message_id=sent.message_id, recipient=sent.recipient_email))

    assert [match.new for match in matches] == [True]
    sent.refresh_from_db()
    assert sent.status == Message.Status.FAILED
    assert "Recipient address rejected" in sent.last_error
    recorded = PositionBounce.objects.get()
    assert (recorded.position, recorded.email, recorded.message) == (minister, "minister@mfa.no.example", sent)
    minister.refresh_from_db()
    assert minister.bounce_count == 1
    action.refresh_from_db()
    assert action.sent_count == 0, "the counters count what was delivered"
    assert ActionCount.objects.get(action=action, position=minister).sent == 0
    assert action.confirmed_count == 1


def test_the_same_bounce_read_twice_is_recorded_once(sent, minister):
    raw = dsn(message_id=sent.message_id, recipient=sent.recipient_email)
    bounce_process(raw)

    _bounce, matches = bounce_process(raw)

    assert [match.new for match in matches] == [False]
    assert PositionBounce.objects.count() == 1
    assert Action.objects.get().sent_count == 0
    minister.refresh_from_db()
    assert minister.bounce_count == 1


def test_a_bounce_without_our_message_id_is_matched_by_the_officials_address(minister):
    raw = dsn(message_id="<unrelated@elsewhere.example>", recipient="Minister@MFA.no.example")
    raw = raw.replace(b"Message-ID: <unrelated@elsewhere.example>\r\n", b"")

    _bounce, matches = bounce_process(raw)

    assert len(matches) == 1 and matches[0].new
    assert PositionBounce.objects.get().position == minister
    assert bounce_process(raw)[1][0].new is False, "the same address bouncing again the same day is not a new bounce"


def test_a_writers_own_confirmation_bouncing_is_not_an_officials_bounce(action, run_tasks, outbox_backend):
    write(action, email="typo@exampel.org")
    run_tasks()
    confirmation = Email.objects.get(to="typo@exampel.org")

    _bounce, matches = bounce_process(dsn(message_id=confirmation.message_id, recipient="typo@exampel.org"))

    assert len(matches) == 1
    assert PositionBounce.objects.count() == 0
    confirmation.refresh_from_db()
    assert confirmation.status == Email.Status.FAILED
    assert confirmation.last_error.startswith("Bounced after sending: ")


def test_a_delay_notice_changes_nothing(sent):
    bounce_process(dsn(message_id=sent.message_id, recipient=sent.recipient_email, status="4.4.1", action="delayed"))

    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT
    assert PositionBounce.objects.count() == 0
