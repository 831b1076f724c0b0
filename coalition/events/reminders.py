"""Reminders before an event, and the tasks that send them: each a thin, idempotent call into the code beside it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from coalition.core.services import enqueue_on_commit
from coalition.events.models import RSVP, Event
from coalition.events.services import rsvp_email_send


def reminder_lead() -> timedelta:
    return timedelta(hours=settings.EVENTS_REMINDER_HOURS)


def schedule_reminders(event: Event) -> None:
    """Queue the reminder task for the time reminders are due; an earlier run re-queues itself."""
    due = event.starts_at - reminder_lead()
    enqueue_on_commit(send_event_reminders.using(run_after=max(due, timezone.now())), event.pk)


def event_send_reminders(*, event_id: int, now: datetime | None = None) -> int:
    """Queue one reminder per confirmed reply that has none yet; returns how many were queued.

    Safe to run any number of times, by several workers at once, or again after a worker died:
    each reply's `reminder_sent_at` is claimed by a conditional update in the same transaction
    that records the e-mail, so a reply gets its reminder exactly once.
    """
    now = now or timezone.now()
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return 0
    due = event.starts_at - reminder_lead()
    if now < due:
        # Queued before the start time moved later: come back when it is due.
        send_event_reminders.using(run_after=due).enqueue(event.pk)
        return 0
    # People who replied inside the reminder window just got all the details in their confirmation.
    pending = event.rsvps.filter(
        status=RSVP.Status.CONFIRMED, reminder_sent_at__isnull=True, created_at__lt=due
    ).order_by("pk")
    sent = 0
    for rsvp in pending.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = RSVP.objects.filter(
                pk=rsvp.pk, status=RSVP.Status.CONFIRMED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            rsvp.reminder_sent_at = now
            rsvp_email_send(rsvp, event, "events-reminder")
        sent += 1
    return sent


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Every published event whose reminders are due now (`manage.py send_event_reminders`, a safety net)."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + reminder_lead()
    ).values_list("pk", flat=True)
    return sum(event_send_reminders(event_id=pk, now=now) for pk in list(events))


@task()
def send_event_reminders(event_id: int) -> int:
    return event_send_reminders(event_id=event_id)


@task()
def send_due_reminders() -> int:
    """The safety net behind the per-event reminder tasks: queues every reminder that is due now."""
    return reminders_send_due()
