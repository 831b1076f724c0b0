"""Per-official daily caps: beyond the cap, messages wait for the next day; none is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.letters import services
from coalition.letters.models import DailySlot, Message
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_holds(settings):
    settings.LETTERS_SIMILARITY_PERCENT = 101


def test_messages_beyond_the_daily_cap_are_queued_for_the_next_days(
    action, settings, no_holds, run_tasks, smtp_server, django_capture_on_commit_callbacks
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 2
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            services.letter_confirm(letter=write(action, email=f"w{n}@example.org"))

    today = timezone.localdate()
    days = sorted(m.send_after.date() for m in Message.objects.all())
    assert days == [today, today, today + timedelta(days=1), today + timedelta(days=1), today + timedelta(days=2)]
    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}, "queued, not dropped"
    assert list(DailySlot.objects.order_by("day").values_list("count", flat=True)) == [2, 2, 1]

    run_tasks()

    assert Message.objects.filter(status="sent").count() == 2
    assert len(smtp_server.sink.to("minister@mfa.no.example")) == 2


def test_a_message_queued_for_tomorrow_is_not_sent_today_and_is_sent_when_its_day_comes(
    action, settings, no_holds, smtp_server
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    smtp_server.start()
    services.letter_confirm(letter=write(action, email="a@example.org"))
    services.letter_confirm(letter=write(action, email="b@example.org"))
    tomorrow = Message.objects.order_by("send_after").last()

    assert services.message_deliver(message_id=tomorrow.pk) == "not yet"
    Message.objects.filter(pk=tomorrow.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert services.message_deliver(message_id=tomorrow.pk) == "sent"


def test_the_cap_counts_per_action_and_official(action, minister, settings, no_holds):
    from coalition.letters.tests.factories import ActionFactory

    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    other_action = ActionFactory(targets=[minister])
    services.letter_confirm(letter=write(action, email="a@example.org"))
    services.letter_confirm(letter=write(other_action, email="b@example.org"))

    assert {m.send_after.date() for m in Message.objects.all()} == {timezone.localdate()}
