"""Sending a mailing: `mailing_start` computes the recipients when the send time comes and writes one `Delivery`
per supporter with its Message-ID fixed; `deliveries_send_batch` claims a batch with a lease, sends it over one
connection and records each message as sent as soon as the server accepted it, then enqueues the next batch
at the configured rate. A worker that dies mid-batch leaves its deliveries leased; when the lease runs out
they are taken again, and only the message in flight can arrive twice, with the same Message-ID
(docs/decisions/0801-mailings.md). The tasks that run them are at the end, each a thin call into the code here.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from coalition.core.audit import Actor, audit_record
from coalition.core.services import enqueue_on_commit
from coalition.mailings import render, selectors, sending
from coalition.mailings.bounces import address_event_record
from coalition.mailings.models import AddressEvent, Delivery, Mailing, Subscription, Suppression, new_message_id
from coalition.mailings.segments import SegmentError
from coalition.members.models import Supporter

logger = logging.getLogger(__name__)

CREATE_CHUNK = 2000


def mailing_start(*, mailing_id: int) -> str:
    """When the send time came: compute the recipients now, write their deliveries, start the batches."""
    now = timezone.now()
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("mailing_list", "segment")
            .filter(pk=mailing_id)
            .first()
        )
        if mailing is None or mailing.status != Mailing.Status.SCHEDULED:
            return f"not scheduled ({mailing.status if mailing else 'missing'})"
        if mailing.send_at and mailing.send_at > now:
            enqueue_on_commit(start_mailing.using(run_after=mailing.send_at), mailing.pk)
            return "not yet"
        try:
            recipients = selectors.mailing_audience(mailing).values_list("pk", flat=True).order_by("pk")
            ids = list(recipients.iterator(chunk_size=CREATE_CHUNK))
        except SegmentError as exc:
            mailing.status = Mailing.Status.PAUSED
            mailing.save(update_fields=["status"])
            logger.error("Mailing %s paused: its segment no longer computes (%s)", mailing.pk, exc)
            return "paused: segment"
        for start in range(0, len(ids), CREATE_CHUNK):
            rows = []
            for supporter_id in ids[start : start + CREATE_CHUNK]:
                message_id = new_message_id()
                rows.append(
                    Delivery(
                        mailing=mailing,
                        supporter_id=supporter_id,
                        message_id=message_id,
                        token_hash=render.token_hash(render.unsubscribe_token(message_id)),
                    )
                )
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        mailing.status, mailing.started_at, mailing.last_batch_at = Mailing.Status.SENDING, now, now
        mailing.save(update_fields=["status", "started_at", "last_batch_at"])
        audit_record(by=Actor.SYSTEM, action="mailing.start", target=mailing, detail={"recipients": len(ids)})
        enqueue_on_commit(send_batch, mailing.pk)
    return f"{len(ids)} recipients"


def _retry_delays() -> list[timedelta]:
    return [timedelta(seconds=int(value)) for value in settings.MAILINGS_RETRY_DELAYS_SECONDS]


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def deliveries_send_batch(*, mailing_id: int) -> str:
    """Send the next batch of one mailing over one connection; see the module's docstring."""
    started = timezone.now()
    mailing = Mailing.objects.select_related("mailing_list").filter(pk=mailing_id).first()
    if mailing is None or mailing.status != Mailing.Status.SENDING:
        return f"not sending ({mailing.status if mailing else 'missing'})"
    Mailing.objects.filter(pk=mailing.pk).update(last_batch_at=started)
    due = Q(lease_until__isnull=True) | Q(lease_until__lt=started)
    ready = Q(send_after__isnull=True) | Q(send_after__lte=started)
    queued = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.QUEUED)
    ids = list(queued.filter(due, ready).order_by("pk").values_list("pk", flat=True)[: settings.MAILINGS_BATCH_SIZE])
    if not ids:
        return _batch_nothing_due(mailing, queued, started)
    claim = uuid.uuid4().hex
    lease = started + timedelta(seconds=settings.MAILINGS_LEASE_SECONDS)
    queued.filter(due, pk__in=ids).update(claim=claim, lease_until=lease, attempts=F("attempts") + 1)
    batch = list(
        Delivery.objects.filter(claim=claim, status=Delivery.Status.QUEUED).select_related("supporter").order_by("pk")
    )
    skipped = _skip_unreachable(mailing, batch)
    sendable = [delivery for delivery in batch if delivery.pk not in skipped]
    versions = {v.language: v for v in mailing.versions.all()}
    prepared: dict[str, render.Prepared] = {}
    list_id = f"<{mailing.mailing_list.slug}.{settings.SITE_URL.split('://')[-1].split('/')[0].split(':')[0]}>"
    sent = 0
    stop_reason = ""
    out_of_time = False
    connection = get_connection()
    # Each message is recorded as sent before the next one's DATA; on PostgreSQL that commit overlaps the next
    # message's making and envelope (sending.py). Every other query waits for it first (`marks.wait()`).
    marks = sending.SentMarks(claim)
    try:
        connection.open()
        # Stop while the lease still holds with room for one more send: past it, another worker may take
        # these deliveries, and a message sent after that could be sent twice.
        # (At least half the lease, however short it is set: a batch always sends something.)
        stop_at = max(lease - timedelta(seconds=int(settings.EMAIL_TIMEOUT or 30)), started + (lease - started) / 2)
        for delivery in sendable:
            if timezone.now() >= stop_at:
                out_of_time = True
                break
            supporter = delivery.supporter
            language = supporter.language if supporter.language in versions else mailing.language
            if language not in prepared:
                version = versions.get(language)
                prepared[language] = render.prepare(
                    subject=version.subject if version else mailing.subject,
                    preheader=version.preheader if version else mailing.preheader,
                    body=version.body if version else mailing.body,
                    language=language,
                    name=mailing.name,
                )
            token = render.unsubscribe_token(delivery.message_id)
            values = render.recipient_values(
                name=supporter.name, country=str(supporter.country), language=language, token=token
            )
            headers = render.bulk_headers(
                message_id=delivery.message_id, unsubscribe_url=values["unsubscribe_url"], token=token, list_id=list_id
            )
            message = render.build_message(
                prepared[language], to=supporter.email or "", values=values, headers=headers, connection=connection
            )
            try:
                sending.send(message, marks)
            except Exception as exc:  # noqa: BLE001  a refusal is recorded per message or stops the batch
                reason = f"{type(exc).__name__}: {exc}"[:2000]
                marks.wait()
                if not isinstance(exc, smtplib.SMTPException | OSError):
                    # This message alone cannot be sent (an address the mail library refuses): it fails, the
                    # batch goes on.
                    Delivery.objects.filter(pk=delivery.pk, claim=claim).update(
                        status=Delivery.Status.FAILED, last_error=reason, lease_until=None, claim=""
                    )
                    continue
                if _permanent(exc):
                    with transaction.atomic():
                        Delivery.objects.filter(pk=delivery.pk, claim=claim).update(
                            status=Delivery.Status.FAILED, last_error=reason, lease_until=None, claim=""
                        )
                        address_event_record(
                            email=supporter.email or "",
                            kind=AddressEvent.Kind.HARD,
                            reason=reason,
                            source="smtp",
                            message_id=delivery.message_id,
                        )
                    continue
                stop_reason = reason
                break
            # Recorded before the next message can be accepted: a crash repeats only the one in flight.
            marks.mark(delivery.pk)
            sent += 1
        marks.wait()
    except Exception as exc:  # noqa: BLE001  the server cannot be reached: the batch waits and is tried again
        stop_reason = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            marks.wait()
        except Exception:  # noqa: BLE001  the database failed too: the message whose mark is lost goes again
            logger.exception("Mailing %s: a delivery's sent mark failed", mailing.pk)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110  closing a connection that already failed
            pass
        try:
            marks.close()
        except Exception:  # noqa: BLE001  the database failed: the message whose mark is lost goes again
            logger.exception("Mailing %s: a delivery's sent mark failed", mailing.pk)
    if stop_reason:
        return _batch_stopped(mailing, claim, stop_reason)
    if out_of_time:
        # The rest of the batch goes back unleased, for the next batch (enqueued below) to take.
        Delivery.objects.filter(claim=claim, status=Delivery.Status.QUEUED).update(claim="", lease_until=None)
    if not queued.exists():
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now()
        )
        return f"{sent} sent, {len(skipped)} skipped; finished"
    with transaction.atomic():
        rate = settings.MAILINGS_RATE_PER_MINUTE
        next_at = started + timedelta(seconds=60 * len(batch) / rate) if rate > 0 else timezone.now()
        enqueue_on_commit(send_batch.using(run_after=next_at) if next_at > timezone.now() else send_batch, mailing.pk)
    return f"{sent} sent, {len(skipped)} skipped"


def _skip_unreachable(mailing: Mailing, batch: list[Delivery]) -> set[int]:
    """Supporters erased, unsubscribed from the list or suppressed since the recipients were computed."""
    supporter_ids = [d.supporter_id for d in batch]
    still_on = set(
        Subscription.objects.filter(
            mailing_list=mailing.mailing_list, left_at__isnull=True, supporter_id__in=supporter_ids
        ).values_list("supporter_id", flat=True)
    )
    suppressed = set(
        Suppression.objects.filter(email__in=[d.supporter.email for d in batch if d.supporter.email]).values_list(
            "email", flat=True
        )
    )
    skipped = {
        d.pk
        for d in batch
        if not d.supporter.email
        or d.supporter.status != Supporter.Status.CONFIRMED
        or d.supporter_id not in still_on
        or d.supporter.email in suppressed
    }
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(
            status=Delivery.Status.SKIPPED,
            last_error="Unsubscribed, erased or suppressed before sending",
            lease_until=None,
            claim="",
        )
    return skipped


def _batch_stopped(mailing: Mailing, claim: str, reason: str) -> str:
    """The server refused or could not be reached: the rest of the batch waits and is tried again later;
    a delivery that failed every time is marked failed."""
    delays = _retry_delays()
    now = timezone.now()
    with transaction.atomic():
        left = Delivery.objects.filter(claim=claim, status=Delivery.Status.QUEUED)
        left.filter(attempts__gt=len(delays)).update(
            status=Delivery.Status.FAILED, last_error=reason, lease_until=None, claim=""
        )
        attempts = max(left.values_list("attempts", flat=True), default=1)
        retry_at = now + delays[min(attempts, len(delays)) - 1]
        left.update(last_error=reason, lease_until=None, claim="", send_after=retry_at)
        enqueue_on_commit(send_batch.using(run_after=retry_at), mailing.pk)
    logger.warning("Mailing %s: batch stopped (%s); trying again at %s", mailing.pk, reason, retry_at)
    return "retry"


def _batch_nothing_due(mailing: Mailing, queued: Any, now: datetime) -> str:
    waiting = queued.order_by().values_list("lease_until", "send_after")
    times = [t for pair in waiting[:1000] for t in pair if t and t > now]
    if not queued.exists():
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=now
        )
        return "finished"
    when = min(times) if times else now + timedelta(seconds=5)
    with transaction.atomic():
        enqueue_on_commit(send_batch.using(run_after=when), mailing.pk)
    return "waiting"


def mailings_keep_going(*, now: datetime | None = None) -> int:
    """Periodic safety net: start scheduled mailings whose time came, and restart the batches of a mailing
    that stopped hearing from them (a task lost with a queue that was not the database). Harmless when a
    batch is still queued: batches take deliveries with a lease."""
    now = now or timezone.now()
    count = 0
    for pk in Mailing.objects.filter(status=Mailing.Status.SCHEDULED, send_at__lte=now).values_list("pk", flat=True):
        start_mailing.enqueue(pk)
        count += 1
    stale = now - timedelta(seconds=2 * settings.MAILINGS_LEASE_SECONDS)
    for pk in Mailing.objects.filter(status=Mailing.Status.SENDING, last_batch_at__lt=stale).values_list(
        "pk", flat=True
    ):
        send_batch.enqueue(pk)
        count += 1
    return count


@task()
def start_mailing(mailing_id: int) -> str:
    return mailing_start(mailing_id=mailing_id)


@task()
def send_batch(mailing_id: int) -> str:
    return deliveries_send_batch(mailing_id=mailing_id)


@task()
def keep_mailings_going() -> str:
    return f"{mailings_keep_going()} mailing task(s) enqueued"
