"""Writes of the mailings app: lists and consent, segments, mailings from draft to sent, unsubscribe, bounces.

Sending: `mailing_start` computes the recipients when the send time comes and writes one `Delivery` per
supporter with its Message-ID fixed; `deliveries_send_batch` claims a batch with a lease, sends it over one
connection and records each message as sent as soon as the server accepted it, then enqueues the next batch
at the configured rate. A worker that dies mid-batch leaves its deliveries leased; when the lease runs out
they are taken again, and only the message in flight can arrive twice, with the same Message-ID
(docs/decisions/0801-mailings.md).
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.core.services import email_queue, enqueue_on_commit
from coalition.mailings import render, selectors, sending
from coalition.mailings.models import (
    AddressEvent,
    Delivery,
    Mailing,
    MailingList,
    MailingVersion,
    Segment,
    Subscription,
    Suppression,
    new_message_id,
)
from coalition.mailings.segments import SegmentError, segment_q
from coalition.members.models import ConsentRecord, Supporter

logger = logging.getLogger(__name__)

CREATE_CHUNK = 2000


class MailingError(Exception):
    """A mailing that cannot go (or a change that cannot be made): `messages` say why, nothing was changed."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


# ---- Lists and consent ------------------------------------------------------------------------------------


def list_join(*, supporter: Supporter, mailing_list: MailingList, source: str, language: str = "") -> Subscription:
    """Put a supporter on a list with a consent record of the list's words; refused without them."""
    if not mailing_list.consent_text.strip():
        raise MailingError([_("This list has no consent text: nobody can be added to it until it has one.")])
    if supporter.status != Supporter.Status.CONFIRMED or not supporter.email:
        raise MailingError([_("Only a supporter who confirmed their address can join a list.")])
    now = timezone.now()
    with transaction.atomic():
        consent = ConsentRecord.objects.create(
            supporter=supporter,
            kind=mailing_list.consent_kind,
            granted=True,
            text=mailing_list.consent_text,
            text_version=f"{mailing_list.slug}:{mailing_list.consent_version}",
            language=language,
            source=f"mailings:{source}"[:100],
            created_at=now,
            confirmed_at=now,
        )
        subscription, created = Subscription.objects.get_or_create(
            supporter=supporter, mailing_list=mailing_list, defaults={"consent": consent, "joined_at": now}
        )
        if not created:
            subscription.consent, subscription.joined_at, subscription.left_at = consent, now, None
            subscription.left_through = None
            subscription.save()
    return subscription


def list_leave(*, supporter: Supporter, mailing_list: MailingList, source: str, through: Mailing | None = None) -> bool:
    """Take a supporter off a list, with a consent record saying so; False when they were not on it."""
    now = timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(supporter=supporter, mailing_list=mailing_list, left_at__isnull=True)
            .first()
        )
        if subscription is None:
            return False
        ConsentRecord.objects.create(
            supporter=supporter,
            kind=mailing_list.consent_kind,
            granted=False,
            text=mailing_list.consent_text or mailing_list.name,
            text_version=f"{mailing_list.slug}:{mailing_list.consent_version}",
            source=f"mailings:{source}"[:100],
            created_at=now,
            confirmed_at=now,
        )
        subscription.left_at, subscription.left_through = now, through
        subscription.save(update_fields=["left_at", "left_through"])
    return True


def mailing_list_create(*, name: str, consent_kind: str, consent_text: str, description: str = "") -> MailingList:
    with transaction.atomic():
        base = slugify(name)[:70] or "list"
        slug, n = base, 1
        while MailingList.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return MailingList.objects.create(
            name=name, slug=slug, consent_kind=consent_kind, consent_text=consent_text, description=description
        )


# ---- Segments ---------------------------------------------------------------------------------------------


def segment_save(*, name: str, rules: Any, by: User, segment: Segment | None = None) -> Segment:
    """Save a segment's rules once they compute; SegmentError says what is wrong and nothing is saved."""
    segment_q(rules)
    with transaction.atomic():
        if segment is None:
            return Segment.objects.create(name=name, rules=rules, created_by=by)
        segment.name, segment.rules = name, rules
        segment.save(update_fields=["name", "rules"])
        return segment


# ---- Mailings from draft to sent ---------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "mailing"
    slug, n = base, 1
    while Mailing.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def mailing_save(
    *,
    by: User,
    name: str,
    mailing_list: MailingList,
    segment: Segment | None,
    language: str,
    subject: str,
    preheader: str,
    body: str,
    public: bool = False,
    versions: dict[str, tuple[str, str, str]] | None = None,
    mailing: Mailing | None = None,
) -> Mailing:
    """Create or change a draft; versions maps a language to (subject, preheader, body), a blank subject and
    body removing that version. Merge fields are checked here, so a draft never holds an unknown one."""
    versions = versions or {}
    errors = []
    for text in (subject, preheader, body, *(part for version in versions.values() for part in version)):
        errors.extend(render.merge_field_errors(text))
    if errors:
        raise MailingError(dict.fromkeys(errors))
    with transaction.atomic():
        if mailing is None:
            mailing = Mailing(slug=_unique_slug(name), created_by=by)
        else:
            mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
            if mailing.status != Mailing.Status.DRAFT:
                raise MailingError([_("Only a draft can be changed; this mailing is %(status)s.") % _status(mailing)])
        mailing.name, mailing.mailing_list, mailing.segment = name, mailing_list, segment
        mailing.language, mailing.subject, mailing.preheader, mailing.body = language, subject, preheader, body
        mailing.public = public
        mailing.save()
        for code, (v_subject, v_preheader, v_body) in versions.items():
            if code == language or not (v_subject.strip() or v_body.strip()):
                MailingVersion.objects.filter(mailing=mailing, language=code).delete()
                continue
            MailingVersion.objects.update_or_create(
                mailing=mailing,
                language=code,
                defaults={"subject": v_subject, "preheader": v_preheader, "body": v_body},
            )
    return mailing


def _status(mailing: Mailing) -> dict[str, str]:
    return {"status": str(mailing.get_status_display()).lower()}


def mailing_problems(mailing: Mailing, *, send_at: datetime | None = None, now: datetime | None = None) -> list[str]:
    """Everything that stops this mailing from going, in words for the campaigner (empty: it can go)."""
    now = now or timezone.now()
    problems = []
    if not mailing.subject.strip():
        problems.append(_("The mailing has no subject."))
    if not mailing.body.strip():
        problems.append(_("The mailing has no text: every mailing is also sent as plain text."))
    for version in mailing.versions.all():
        if not version.subject.strip() or not version.body.strip():
            problems.append(_("The %(language)s version needs a subject and a text.") % {"language": version.language})
    for text in (mailing.subject, mailing.preheader, mailing.body):
        problems.extend(render.merge_field_errors(text))
    if not mailing.mailing_list.consent_text.strip():
        problems.append(
            _("The list “%(name)s” has no consent text: its members never agreed to anything.")
            % {"name": mailing.mailing_list.name}
        )
    if send_at is not None and send_at < now - timedelta(minutes=1):
        problems.append(_("The send time is in the past."))
    if not problems:
        try:
            count = selectors.mailing_audience(mailing).count()
        except SegmentError as exc:
            problems.append(str(exc))
        else:
            if count == 0:
                problems.append(_("Nobody is in this audience: the list and segment select no supporter."))
    return list(dict.fromkeys(problems))


def needs_approval(mailing: Mailing, count: int) -> bool:
    return count > settings.MAILINGS_APPROVAL_THRESHOLD and mailing.approved_by_id is None


def mailing_schedule(*, mailing: Mailing, by: User, send_at: datetime | None = None) -> Mailing:
    """Send now (send_at None) or at a time; above the approval threshold it waits for a second person.
    Raises MailingError with every problem, and then nothing changes."""
    now = timezone.now()
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",)).select_related("mailing_list", "segment").get(pk=mailing.pk)
        )
        if mailing.status != Mailing.Status.DRAFT:
            raise MailingError([_("Only a draft can be sent; this mailing is %(status)s.") % _status(mailing)])
        problems = mailing_problems(mailing, send_at=send_at, now=now)
        if problems:
            raise MailingError(problems)
        count = selectors.mailing_audience(mailing).count()
        mailing.send_at = send_at or now
        if needs_approval(mailing, count):
            mailing.status = Mailing.Status.AWAITING_APPROVAL
        else:
            mailing.status = Mailing.Status.SCHEDULED
        mailing.save(update_fields=["send_at", "status"])
        audit_record(
            by=by,
            action="mailing.send",
            target=mailing,
            detail={"send_at": mailing.send_at, "recipients_now": count, "status": mailing.status},
        )
        if mailing.status == Mailing.Status.SCHEDULED:
            _enqueue_start(mailing)
    return mailing


def _enqueue_start(mailing: Mailing) -> None:
    from coalition.mailings.tasks import start_mailing

    assert mailing.send_at is not None
    if mailing.send_at <= timezone.now():
        enqueue_on_commit(start_mailing, mailing.pk)
    else:
        enqueue_on_commit(start_mailing.using(run_after=mailing.send_at), mailing.pk)


def may_approve(mailing: Mailing, user: User) -> bool:
    """A second campaigner (not who prepared it) or an administrator."""
    if user.is_superuser:
        return True
    return user.has_perm("mailings.approve_mailing") and user.pk != mailing.created_by_id


def mailing_approve(*, mailing: Mailing, by: User) -> Mailing:
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",)).select_related("mailing_list", "segment").get(pk=mailing.pk)
        )
        if mailing.status != Mailing.Status.AWAITING_APPROVAL:
            raise MailingError([_("This mailing is not waiting for approval.")])
        if not may_approve(mailing, by):
            raise MailingError(
                [_("A mailing is approved by a second campaigner or an administrator, not by whoever prepared it.")]
            )
        count = selectors.mailing_audience(mailing).count()
        mailing.status, mailing.approved_by, mailing.recipients_at_approval = Mailing.Status.SCHEDULED, by, count
        if mailing.send_at is None or mailing.send_at < timezone.now():
            mailing.send_at = timezone.now()
        mailing.save(update_fields=["status", "approved_by", "recipients_at_approval", "send_at"])
        audit_record(by=by, action="mailing.approve", target=mailing, detail={"recipients_now": count})
        _enqueue_start(mailing)
    return mailing


def mailing_pause(*, mailing: Mailing, by: User) -> Mailing:
    return _transition(
        mailing, by, "mailing.pause", {Mailing.Status.SENDING, Mailing.Status.SCHEDULED}, Mailing.Status.PAUSED
    )


def mailing_resume(*, mailing: Mailing, by: User) -> Mailing:
    from coalition.mailings.tasks import send_batch

    with transaction.atomic():
        mailing = _transition(mailing, by, "mailing.resume", {Mailing.Status.PAUSED}, Mailing.Status.SENDING)
        if mailing.started_at is None:
            Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SCHEDULED)
            mailing.status = Mailing.Status.SCHEDULED
            _enqueue_start(mailing)
        else:
            enqueue_on_commit(send_batch, mailing.pk)
    return mailing


def mailing_cancel(*, mailing: Mailing, by: User) -> Mailing:
    with transaction.atomic():
        mailing = _transition(
            mailing,
            by,
            "mailing.cancel",
            {
                Mailing.Status.DRAFT,
                Mailing.Status.AWAITING_APPROVAL,
                Mailing.Status.SCHEDULED,
                Mailing.Status.SENDING,
                Mailing.Status.PAUSED,
            },
            Mailing.Status.CANCELLED,
        )
        Delivery.objects.filter(mailing=mailing, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED, last_error="Cancelled", claim="", lease_until=None
        )
        Mailing.objects.filter(pk=mailing.pk).update(finished_at=timezone.now())
    return mailing


def _transition(mailing: Mailing, by: User, action: str, allowed: set[str], to: str) -> Mailing:
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status not in allowed:
            raise MailingError([_("This cannot be done to a mailing that is %(status)s.") % _status(mailing)])
        before = mailing.status
        mailing.status = to
        mailing.save(update_fields=["status"])
        audit_record(by=by, action=action, target=mailing, detail={"status": [before, to]})
    return mailing


def mailing_test_send(*, mailing: Mailing, by: User) -> None:
    """A copy to the campaigner's own address, as they would receive it (their name), through core's queue.
    Its links are placeholders that unsubscribe nobody."""
    language, subject, preheader, body = selectors.version_for(mailing, mailing.language)
    prepared = render.prepare(subject=subject, preheader=preheader, body=body, language=language, name=mailing.name)
    values = render.recipient_values(name=by.full_name or "", country="", language=language, token="test-copy")  # noqa: S106  a placeholder, not a secret
    message = render.build_message(prepared, to=by.email, values=values, headers={})
    html = next(str(content) for content, _mime in message.alternatives)
    prefix = _("Test")
    with transaction.atomic():
        email_queue(to=by.email, subject=f"[{prefix}] {message.subject}", body_text=str(message.body), body_html=html)


def mailing_preview(mailing: Mailing, *, supporter: Supporter | None, language: str | None = None) -> dict[str, str]:
    """The mailing as this supporter would receive it (their language's version, their merge fields)."""
    language = (supporter.language if supporter else "") or language or mailing.language
    language, subject, preheader, body = selectors.version_for(mailing, language)
    prepared = render.prepare(subject=subject, preheader=preheader, body=body, language=language, name=mailing.name)
    values = render.recipient_values(
        name=supporter.name if supporter else "",
        country=str(supporter.country) if supporter else "",
        language=language,
        token="preview",  # noqa: S106  a placeholder, not a secret
    )
    return {
        "language": language,
        "subject": " ".join(prepared.subject.fill(values, html=False).split()),
        "preheader": prepared.preheader.fill(values, html=False),
        "html": prepared.html.fill(values, html=True),
        "text": prepared.text.fill(values, html=False),
    }


def mailing_start(*, mailing_id: int) -> str:
    """When the send time came: compute the recipients now, write their deliveries, start the batches."""
    from coalition.mailings.tasks import send_batch

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
            enqueue_on_commit(start_mailing_task().using(run_after=mailing.send_at), mailing.pk)
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


def start_mailing_task() -> Any:
    from coalition.mailings.tasks import start_mailing

    return start_mailing


def _retry_delays() -> list[timedelta]:
    return [timedelta(seconds=int(value)) for value in settings.MAILINGS_RETRY_DELAYS_SECONDS]


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def deliveries_send_batch(*, mailing_id: int) -> str:
    """Send the next batch of one mailing over one connection; see the module's docstring."""
    from coalition.mailings.tasks import send_batch

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
    from coalition.mailings.tasks import send_batch

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
    from coalition.mailings.tasks import send_batch

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
    from coalition.mailings.tasks import send_batch, start_mailing

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


# ---- Unsubscribe ------------------------------------------------------------------------------------------


def delivery_from_token(token: str) -> Delivery | None:
    if not token or len(token) > 100:
        return None
    return (
        Delivery.objects.select_related("mailing", "mailing__mailing_list", "supporter")
        .filter(token_hash=render.token_hash(token), supporter__email__isnull=False)
        .first()
    )


def unsubscribe(*, delivery: Delivery, source: str = "unsubscribe-link") -> bool:
    """One-click unsubscribe from the list the mailing went to (RFC 8058, or a mail to the List-Unsubscribe
    mailto address); no login, no confirmation."""
    return list_leave(
        supporter=delivery.supporter,
        mailing_list=delivery.mailing.mailing_list,
        source=source,
        through=delivery.mailing,
    )


def subscriptions_set(*, supporter: Supporter, wanted: set[int], language: str = "") -> None:
    """The supporter's own choice of lists, from their manage page: joins and leaves with consent records."""
    with transaction.atomic():
        current = set(
            Subscription.objects.filter(supporter=supporter, left_at__isnull=True).values_list(
                "mailing_list_id", flat=True
            )
        )
        for mailing_list in MailingList.objects.filter(pk__in=current | wanted):
            if mailing_list.pk in wanted and mailing_list.pk not in current and mailing_list.consent_text.strip():
                list_join(supporter=supporter, mailing_list=mailing_list, source="manage-page", language=language)
            elif mailing_list.pk in current and mailing_list.pk not in wanted:
                list_leave(supporter=supporter, mailing_list=mailing_list, source="manage-page")


# ---- Bounces and complaints --------------------------------------------------------------------------------


def address_event_record(*, email: str, kind: str, reason: str = "", source: str = "", message_id: str = "") -> bool:
    """Record a bounce or complaint for an address and suppress it when the rules say so; False when this very
    event (same message, address and kind) was recorded before, or when the address is not one (a provider's
    payload can carry anything: nothing is recorded for it)."""
    email = email.strip().lower()
    if len(email) > AddressEvent._meta.get_field("email").max_length:  # type: ignore[operator]
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    now = timezone.now()
    with transaction.atomic():
        if message_id and AddressEvent.objects.filter(email=email, kind=kind, message_id=message_id).exists():
            return False
        AddressEvent.objects.create(
            email=email, kind=kind, reason=reason[:2000], source=source[:50], message_id=message_id[:200], at=now
        )
        if message_id:
            Delivery.objects.filter(message_id=message_id, bounced_at__isnull=True).update(bounced_at=now)
        suppress = ""
        if kind == AddressEvent.Kind.HARD:
            suppress = "Hard bounce: " + reason
        elif kind == AddressEvent.Kind.COMPLAINT:
            suppress = "Complaint: the recipient marked a mailing as spam"
        else:
            window = now - timedelta(days=settings.MAILINGS_SOFT_BOUNCE_WINDOW_DAYS)
            soft = AddressEvent.objects.filter(email=email, kind=AddressEvent.Kind.SOFT, at__gte=window).count()
            if soft >= settings.MAILINGS_SOFT_BOUNCE_LIMIT:
                suppress = f"{soft} soft bounces within {settings.MAILINGS_SOFT_BOUNCE_WINDOW_DAYS} days"
        if suppress:
            Suppression.objects.get_or_create(email=email, defaults={"reason": suppress[:300], "at": now})
    return True


def suppression_lift(*, email: str, by: User) -> bool:
    with transaction.atomic():
        found = Suppression.objects.filter(email=email.strip().lower()).first()
        if found is None:
            return False
        audit_record(by=by, action="suppression.lift", target=None, label=f"suppression {found.pk}")
        found.delete()
    return True


def mailings_erase_address(*, email: str) -> None:
    """An erased supporter: their bounces and suppression go with their address."""
    AddressEvent.objects.filter(email__iexact=email).delete()
    Suppression.objects.filter(email__iexact=email).delete()


__all__ = ["MailingError", "SegmentError", "ValidationError"]


def public_text(text: str) -> str:
    return render.public_text(text)
