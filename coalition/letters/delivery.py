"""Delivering letters' messages to officials: queueing under each official's daily cap, sending each
exactly once (with a lease against two workers), retrying, and recording a refusal of the address."""

from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from coalition.core.services import enqueue_on_commit
from coalition.letters.models import Action, ActionCount, DailySlot, Message, Position, PositionBounce

logger = logging.getLogger(__name__)

# Why a message was never sent: nothing goes out in the name of someone who erased their data.
ERASED = "The writer erased their data before delivery."


def counts_move(message: Message, *, confirmed: int = 0, sent: int = 0) -> None:
    """Move the action's counts and the official's row of them by what happened to this message."""
    Action.objects.filter(pk=message.action_id).update(
        confirmed_count=F("confirmed_count") + confirmed, sent_count=F("sent_count") + sent
    )
    updated = ActionCount.objects.filter(action_id=message.action_id, position_id=message.position_id).update(
        confirmed=F("confirmed") + confirmed, sent=F("sent") + sent
    )
    if not updated:
        ActionCount.objects.get_or_create(
            action_id=message.action_id,
            position_id=message.position_id,
            defaults={"state_id": message.position.state_id, "confirmed": 0, "sent": 0},
        )
        ActionCount.objects.filter(action_id=message.action_id, position_id=message.position_id).update(
            confirmed=F("confirmed") + confirmed, sent=F("sent") + sent
        )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def message_assign_day(*, position_id: int, today: date) -> date:
    """The first day from `today` with room under the official's daily cap, and take the place.

    The cap counts every action together: it is what one official receives in a day. Days fill in
    order, so the queued days are consecutive from today; a place given back by an erased message
    leaves room on an earlier day, which the first query finds. Constant queries.
    """
    cap = settings.LETTERS_DAILY_CAP_PER_OFFICIAL
    ahead = DailySlot.objects.filter(position_id=position_id, day__gte=today)
    room = ahead.filter(count__lt=cap).order_by("day").values_list("day", flat=True).first()
    if room is not None:
        day = room
    else:
        latest = ahead.order_by("-day").values_list("day", flat=True).first()
        day = today if latest is None else latest + timedelta(days=1)
    while True:
        slot, _created = DailySlot.objects.get_or_create(position_id=position_id, day=day)
        if DailySlot.objects.filter(pk=slot.pk, count__lt=cap).update(count=F("count") + 1):
            return day
        day += timedelta(days=1)


def places_give_back(messages: QuerySet[Message]) -> None:
    """Messages that will never be sent give back their places under the cap, for others to take."""
    held = messages.filter(cap_day__isnull=False).values("position_id", "cap_day").annotate(n=Count("pk")).order_by()
    for position_id, day, n in list(held.values_list("position_id", "cap_day", "n")):
        if day is not None:  # always, as filtered above; said again for the type checker
            DailySlot.objects.filter(position_id=position_id, day=day, count__gte=n).update(count=F("count") - n)
    messages.update(cap_day=None)


def message_queue(*, message: Message, now: datetime | None = None) -> Message:
    """Make a confirmed message pending, on the first day the cap allows, and enqueue its delivery."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = message_assign_day(position_id=message.position_id, today=today)
    send_after = now if day <= today else _day_start(day)
    message.status, message.send_after, message.hold_reason = Message.Status.PENDING, send_after, ""
    message.cap_day = day
    message.save(update_fields=["status", "send_after", "hold_reason", "cap_day"])
    if send_after > now:
        enqueue_on_commit(deliver_message.using(run_after=send_after), message.pk)
    else:
        enqueue_on_commit(deliver_message, message.pk)
    return message


def retry_delays() -> list[timedelta]:
    return [timedelta(seconds=int(s)) for s in settings.LETTERS_RETRY_DELAYS_SECONDS]


def _permanent(exc: Exception) -> bool:
    """The official's server refused the address itself (5xx): retrying will not help; it is a bounce."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
        return exc.smtp_code >= 500 and exc.smtp_code not in (500, 502)
    return False


def _build_email(message: Message) -> EmailMessage:
    letter = message.letter
    from_name = f"{letter.name} via {settings.COALITION_NAME}".replace('"', "")
    default_from = settings.DEFAULT_FROM_EMAIL
    address = default_from.split("<", 1)[1].rstrip(">") if "<" in default_from else default_from
    headers = {"Message-ID": message.message_id, "X-Coalition-Action": letter.action.slug}
    if letter.supporter.email:
        # Also as a header, so the outbox (which keeps headers) shows where the official's reply goes.
        headers["Reply-To"] = letter.supporter.email
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=f'"{from_name}" <{address}>',
        to=[message.recipient_email],
        headers=headers,
    )


def message_deliver(*, message_id: int) -> str:
    """Send one message to its official: never twice once recorded as sent, and never by two workers at once.

    A worker takes a lease on the message before talking to the mail server. If it dies after the
    server accepted the message but before the record, the lease expires and the message is sent again
    with the same Message-ID: only the message in flight can repeat.
    """
    now = timezone.now()
    message = Message.objects.select_related("letter", "letter__supporter", "letter__action", "position").filter(
        pk=message_id
    )
    found = message.first()
    if found is None:
        return "missing"
    if found.status != Message.Status.PENDING:
        return f"skipped ({found.status})"
    if found.send_after and found.send_after > now:
        deliver_message.using(run_after=found.send_after).enqueue(found.pk)
        return "not yet"
    if found.lease_until and found.lease_until > now:
        # Another worker holds it; look again when its lease runs out (it will have sent it, or died).
        deliver_message.using(run_after=found.lease_until).enqueue(found.pk)
        return "leased"
    lease = now + timedelta(seconds=settings.LETTERS_SEND_LEASE_SECONDS)
    took = Message.objects.filter(
        pk=found.pk, status=Message.Status.PENDING, lease_until=found.lease_until, attempts=found.attempts
    ).update(lease_until=lease, attempts=F("attempts") + 1)
    if not took:
        return "taken by another worker"
    attempts = found.attempts + 1
    if not found.letter.supporter.email or found.letter.scrubbed_at is not None:
        Message.objects.filter(pk=found.pk).update(status=Message.Status.FAILED, last_error=ERASED, lease_until=None)
        return "failed"
    try:
        _build_email(found).send()
    except Exception as exc:  # noqa: BLE001  every transport failure is either retried or recorded
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        delays = retry_delays()
        if _permanent(exc) or attempts > len(delays):
            with transaction.atomic():
                Message.objects.filter(pk=found.pk, status=Message.Status.PENDING).update(
                    status=Message.Status.FAILED, last_error=reason, lease_until=None
                )
                if _permanent(exc):
                    position_bounce_record(
                        position=found.position, email=found.recipient_email, reason=reason, message=found
                    )
            logger.warning("Letter message %s failed after %s attempt(s): %s", found.pk, attempts, reason)
            return "failed"
        retry_at = timezone.now() + delays[attempts - 1]
        with transaction.atomic():
            Message.objects.filter(pk=found.pk, status=Message.Status.PENDING).update(
                last_error=reason, lease_until=None, send_after=retry_at
            )
            enqueue_on_commit(deliver_message.using(run_after=retry_at), found.pk)
        return "retry"
    with transaction.atomic():
        recorded = Message.objects.filter(pk=found.pk, status=Message.Status.PENDING).update(
            status=Message.Status.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
        )
        if recorded:
            counts_move(found, sent=1)
    return "sent"


def messages_requeue_lost(*, now: datetime | None = None) -> int:
    """Enqueue again pending messages that are due and not leased: their task may have been lost between
    a commit and its enqueue. Harmless when the task still exists: delivery takes a lease first."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.LETTERS_SEND_LEASE_SECONDS)
    due = Message.objects.filter(status=Message.Status.PENDING, send_after__lt=stale).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    count = 0
    for pk in due.values_list("pk", flat=True).iterator():
        deliver_message.enqueue(pk)
        count += 1
    return count


def position_bounce_record(*, position: Position, email: str, reason: str, message: Message | None = None) -> None:
    """A bounce from an official's address: kept against the position for staff, never against a supporter."""
    with transaction.atomic():
        PositionBounce.objects.create(position=position, email=email, reason=reason, message=message)
        Position.objects.filter(pk=position.pk).update(
            bounce_count=F("bounce_count") + 1, last_bounce_at=timezone.now()
        )


@task()
def deliver_message(message_id: int) -> str:
    return message_deliver(message_id=message_id)
