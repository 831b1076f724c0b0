"""Daily upkeep of letters: one reminder to unconfirmed writers, expiry, asking whether officials replied,
scrubbing personal data after the retention period (or at once when the writer erases it), and requeueing
deliveries whose task was lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django_tasks import task

from coalition.core.services import email_send
from coalition.letters.delivery import ERASED, messages_requeue_lost, places_give_back
from coalition.letters.models import Letter, Message
from coalition.letters.services import letter_email_context
from coalition.letters.tokens import letter_token
from coalition.members.models import Supporter


@dataclass
class Housekeeping:
    reminded: int = 0
    expired: int = 0
    followed_up: int = 0
    scrubbed: int = 0
    requeued: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminded} reminded, {self.expired} expired, {self.followed_up} asked about replies, "
            f"{self.scrubbed} scrubbed, {self.requeued} requeued"
        )


def _email_once(
    due: QuerySet[Letter], *, mark: str, now: datetime, template: str, context: Callable[[Letter], dict[str, Any]]
) -> int:
    """E-mail the writer of each letter `due` once, setting the letter's `mark`: the conditional update makes a
    second run (or a second process) send nothing more. Returns how many e-mails were written."""
    count = 0
    for letter in due.iterator():
        with transaction.atomic():
            if not Letter.objects.filter(pk=letter.pk, **{f"{mark}__isnull": True}).update(**{mark: now}):
                continue
            if letter.supporter.email:
                email_send(
                    to=letter.supporter.email,
                    template=template,
                    context=context(letter),
                    language=letter.language or None,
                )
                count += 1
    return count


def letters_remind_unconfirmed(*, now: datetime | None = None) -> int:
    """One reminder, a day after writing, to writers who have not confirmed yet."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.LETTERS_REMIND_HOURS)
    expiry = now - timedelta(days=settings.LETTERS_CONFIRM_DAYS)
    due = Letter.objects.filter(
        status=Letter.Status.UNCONFIRMED, reminded_at__isnull=True, created_at__lt=cutoff, created_at__gte=expiry
    ).select_related("action", "supporter")
    return _email_once(
        due,
        mark="reminded_at",
        now=now,
        template="letters-reminder",
        context=lambda letter: {**letter_email_context(letter), "token": letter_token(letter)},
    )


def letters_expire_unconfirmed(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LETTERS_CONFIRM_DAYS)
    with transaction.atomic():
        stale = Letter.objects.select_for_update().filter(status=Letter.Status.UNCONFIRMED, created_at__lt=cutoff)
        # Locked: a confirmation clicked at this moment waits, then finds the letter expired.
        ids = list(stale.order_by("pk").values_list("pk", flat=True))
        _expire_unconfirmed(ids)
        return _scrub(ids, now=now)


def _expire_unconfirmed(letter_ids: list[int]) -> None:
    """Letters never confirmed: their messages will never be sent, nor compared with others."""
    Message.objects.filter(letter_id__in=letter_ids, status=Message.Status.UNCONFIRMED).update(
        status=Message.Status.EXPIRED, signature=[]
    )
    Letter.objects.filter(pk__in=letter_ids, status=Letter.Status.UNCONFIRMED).update(status=Letter.Status.EXPIRED)


def _scrub(letter_ids: list[int], *, now: datetime) -> int:
    """Remove the writer's personal data from these letters and their messages: their name, town and
    constituency, their text, and each message's subject and text (both may carry the name). The counts,
    officials, statuses, similarity signatures and dates stay; a letter scrubbed before keeps its date."""
    Message.objects.filter(letter_id__in=letter_ids).update(body="", subject="", recipient_email="")
    return Letter.objects.filter(pk__in=letter_ids).update(
        body="", name="", town="", constituency="", scrubbed_at=Coalesce(F("scrubbed_at"), Value(now))
    )


def letters_follow_up(*, now: datetime | None = None) -> int:
    """Two weeks after sending, ask the writer whether the officials replied (once per letter)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LETTERS_FOLLOW_UP_DAYS)
    due = (
        Letter.objects.filter(
            status=Letter.Status.CONFIRMED,
            followed_up_at__isnull=True,
            messages__status=Message.Status.SENT,
            messages__sent_at__lt=cutoff,
        )
        .distinct()
        .select_related("action", "supporter")
    )
    return _email_once(due, mark="followed_up_at", now=now, template="letters-follow-up", context=letter_email_context)


def letters_scrub(*, now: datetime | None = None) -> int:
    """Remove personal data from letters sent (or failed, or printed) more than LETTERS_RETENTION_DAYS ago.

    The counts, the officials written to and the similarity signatures stay; the text and the writer's
    name and town go. A letter still waiting for delivery is never scrubbed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LETTERS_RETENTION_DAYS)
    open_statuses = [Message.Status.PENDING, Message.Status.HELD, Message.Status.UNCONFIRMED]
    candidates = Letter.objects.filter(
        status=Letter.Status.CONFIRMED, scrubbed_at__isnull=True, confirmed_at__lt=cutoff
    ).exclude(messages__status__in=open_statuses)
    candidates = candidates.exclude(messages__sent_at__gte=cutoff)
    with transaction.atomic():
        ids = list(candidates.values_list("pk", flat=True))
        return _scrub(ids, now=now)


def letters_erase_writer(*, supporter: Supporter, now: datetime) -> int:
    """The writer erased their data: scrub all their letters now, as retention would later, and send
    nothing more in their name. Unconfirmed letters expire; confirmed messages not sent yet (held,
    pending, queued for a later day) fail with the reason, so a delivery task that runs later skips them.
    One a worker is sending at this moment is left to it: it records the outcome, and if it must try
    again it finds the writer erased. Sent messages stay sent; the counts do not move. The messages that
    fail give back their places under the officials' daily caps.

    Called by the supporter's erasure, inside its transaction (coalition/letters/personal_data.py).
    """
    # Locked first, in order: a confirmation clicked at this moment waits, then finds the letter expired.
    mine = Letter.objects.select_for_update().filter(supporter=supporter).order_by("pk")
    ids = list(mine.values_list("pk", flat=True))
    if not ids:
        return 0
    _expire_unconfirmed(ids)
    unsent = Message.objects.filter(letter_id__in=ids, status__in=[Message.Status.PENDING, Message.Status.HELD]).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    )
    failing = list(unsent.values_list("pk", flat=True))
    unsent.update(status=Message.Status.FAILED, last_error=ERASED, lease_until=None)
    # Their places under the officials' daily caps go to other writers' messages.
    places_give_back(Message.objects.filter(pk__in=failing))
    return _scrub(ids, now=now)


def letters_housekeeping(*, now: datetime | None = None) -> Housekeeping:
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        return Housekeeping(
            reminded=letters_remind_unconfirmed(now=now),
            expired=letters_expire_unconfirmed(now=now),
            followed_up=letters_follow_up(now=now),
            scrubbed=letters_scrub(now=now),
            requeued=messages_requeue_lost(now=now),
        )


@task()
def housekeeping() -> str:
    return str(letters_housekeeping())
