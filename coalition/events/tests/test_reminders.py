"""Reminders: scheduled when an event is published, sent once per confirmed reply, even when the task
runs twice, several workers race, or a worker dies half-way; and a cancelled event tells everyone."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.core import services as core_services
from coalition.core.models import Email
from coalition.events import organising
from coalition.events.models import RSVP, Event
from coalition.events.reminders import send_event_reminders
from coalition.events.tests.factories import EventFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def _reminders():
    return list(Email.objects.filter(subject__startswith="Reminder").order_by("to").values_list("to", flat=True))


def _event_with_replies(starts_in=timedelta(hours=20), **kwargs):
    event = EventFactory(starts_at=timezone.now() + starts_in, **kwargs)
    replied = timezone.now() - timedelta(days=3)
    for n in range(3):
        RSVPFactory(event=event, email=f"coming{n}@example.org", created_at=replied)
    RSVPFactory(event=event, email="waiting@example.org", status=RSVP.Status.WAITING, created_at=replied)
    RSVPFactory(event=event, email="cancelled@example.org", status=RSVP.Status.CANCELLED, created_at=replied)
    return event


def test_publishing_schedules_the_reminder_task_for_the_configured_time_before_the_start(
    carol, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_REMINDER_HOURS = 48
    event = EventFactory(status=Event.Status.SUBMITTED, starts_at=timezone.now() + timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        organising.event_publish(event=event, by=carol)

    task = DBTaskResult.objects.get(task_path="coalition.events.reminders.send_event_reminders")
    assert task.args_kwargs["args"] == [event.pk]
    assert task.run_after == event.starts_at - timedelta(hours=48)


def test_the_task_queues_one_reminder_per_confirmed_reply_only(emails):
    event = _event_with_replies(address_visibility="attendees")

    assert send_event_reminders.call(event.pk) == 3

    assert _reminders() == ["coming0@example.org", "coming1@example.org", "coming2@example.org"]
    reminder = emails("coming0@example.org")[0]
    assert "Wergelandsveien 29" in reminder.body_text and "/events/reply/" in reminder.body_text
    assert RSVP.objects.filter(reminder_sent_at__isnull=False).count() == 3


def test_running_the_task_again_sends_nothing_more():
    event = _event_with_replies()

    send_event_reminders.call(event.pk)
    assert send_event_reminders.call(event.pk) == 0
    call_command("send_event_reminders", verbosity=0)

    assert len(_reminders()) == 3


def test_a_worker_that_dies_half_way_leaves_no_reply_without_a_reminder_and_none_with_two():
    event = _event_with_replies()
    real_send = core_services.email_send
    calls = {"n": 0}

    def dies_on_the_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_send(**kwargs)

    with mock.patch("coalition.events.services.email_send", side_effect=dies_on_the_second):
        with pytest.raises(SystemExit):
            send_event_reminders.call(event.pk)
    assert len(_reminders()) == 1  # the first was recorded with its reply; the second rolled back together

    send_event_reminders.call(event.pk)  # the task runs again after the restart

    assert _reminders() == ["coming0@example.org", "coming1@example.org", "coming2@example.org"]


def test_a_task_requeued_from_a_dead_worker_sends_no_second_reminder(run_tasks, django_capture_on_commit_callbacks):
    event = _event_with_replies()
    send_event_reminders.call(event.pk)
    # The worker died after its work but before recording the task as finished: it is run again.
    send_event_reminders.enqueue(event.pk)
    DBTaskResult.objects.filter(task_path__endswith="send_event_reminders").update(
        status="RUNNING", worker_ids=["dead-worker"], started_at=timezone.now() - timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()

    assert len(_reminders()) == 3


def test_a_reply_made_inside_the_reminder_window_gets_no_separate_reminder():
    event = _event_with_replies()
    RSVPFactory(event=event, email="late@example.org")  # replied now, 20 hours before the start

    send_event_reminders.call(event.pk)

    assert "late@example.org" not in _reminders()


def test_a_task_that_runs_early_comes_back_when_reminders_are_due():
    event = _event_with_replies(starts_in=timedelta(days=5))

    assert send_event_reminders.call(event.pk) == 0

    assert _reminders() == []
    again = DBTaskResult.objects.get(task_path__endswith="send_event_reminders")
    assert again.run_after == event.starts_at - timedelta(hours=24)


def test_no_reminder_for_a_cancelled_or_started_event():
    cancelled = _event_with_replies(status=Event.Status.CANCELLED)
    started = _event_with_replies(starts_in=-timedelta(minutes=5))

    assert send_event_reminders.call(cancelled.pk) == 0
    assert send_event_reminders.call(started.pk) == 0
    assert _reminders() == []


def test_cancelling_an_event_tells_everyone_who_replied_once(client, edna, org_a, emails):
    event = _event_with_replies(organisation=org_a)
    client.force_login(edna)

    client.post(f"/events/{event.pk}/cancel/", {"reason": "The hall is closed."})
    client.post(f"/events/{event.pk}/cancel/", {"reason": "Twice."})

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    told = sorted(e.to for e in emails() if e.subject.startswith("Cancelled"))
    assert told == ["coming0@example.org", "coming1@example.org", "coming2@example.org", "waiting@example.org"]
    assert "The hall is closed." in emails("waiting@example.org")[-1].body_text
    assert "This event is cancelled." in client.get(event.get_absolute_url()).text


def test_an_editor_of_another_organisation_cannot_cancel_the_event(client, bruno, org_a):
    event = EventFactory(organisation=org_a)
    client.force_login(bruno)

    assert client.post(f"/events/{event.pk}/cancel/").status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
