"""Writes of the letters app: submitting, confirming, queueing under caps, delivering exactly once,
reviewing, replies, bounces, and the daily housekeeping (reminders, expiry, follow-ups, scrubbing)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import BOUNCED, email_send, enqueue_on_commit, path_in_language
from coalition.letters import greetings, merge, retargeting, similarity
from coalition.letters.models import (
    Action,
    ActionCount,
    DailySlot,
    Letter,
    Message,
    MessageBand,
    Position,
    PositionBounce,
    Reply,
)
from coalition.letters.selectors import action_cache_clear, action_targets
from coalition.lib import rows
from coalition.lib.bounces import Bounce, BounceMatch
from coalition.members.models import Organisation, Supporter
from coalition.members.supporters import supporter_mark_confirmed, supporter_record
from coalition.states.models import State

logger = logging.getLogger(__name__)

CONFIRM_SALT = "coalition.letters.confirm"
LETTER_LINK_SALT = "coalition.letters.letter"
# Links to a letter's PDF and to the "did they reply?" question work for a long while: 60 days.
LETTER_LINK_MAX_AGE = 60 * 86400
SOURCE = "letters:write"
# Why a message was never sent: nothing goes out in the name of someone who erased their data.
ERASED = "The writer erased their data before delivery."


class LetterRejected(ValidationError):
    """The letter cannot be accepted as written; the message says why, and nothing was saved."""


# --- tokens --------------------------------------------------------------------------------------


def letter_token(letter: Letter, *, salt: str = CONFIRM_SALT) -> str:
    return signing.dumps({"l": letter.pk}, salt=salt)


def letter_from_token(token: str, *, salt: str = CONFIRM_SALT, max_age: int | None = None) -> Letter | None:
    if max_age is None:
        max_age = settings.LETTERS_CONFIRM_DAYS * 86400
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Letter.objects.select_related("action", "supporter").filter(pk=payload.get("l")).first()


# --- writing -------------------------------------------------------------------------------------


def merge_values(*, name: str, town: str, state: State | None, position: Position) -> dict[str, str]:
    return {
        "supporter_name": name,
        "supporter_town": town,
        "supporter_state": state.display_name if state else "",
        "official_name": position.holder_name,
        "official_title": position.title,
    }


def letter_text(*, language: str, body: str, name: str, town: str, state: State | None, position: Position) -> str:
    """The letter as this official reads it: greeting, the writer's body (their words, taken literally), and
    signature, all in the language of the version the writer wrote in."""
    with translation.override(language):
        state_name = str(state.display_name) if state else ""
    return greetings.letter_text(
        language=language,
        body=body,
        official_name=position.holder_name,
        role=position.role,
        name=name,
        town=town,
        state=state_name,
    )


def letter_check(*, action: Action, body: str, targets: list[Position], delivery: str) -> None:
    """Every reason to refuse a letter, before anything is written."""
    if not action.is_live():
        if action.has_ended:
            message = _("This action ended on %(date)s: letters are no longer sent.") % {"date": action.ends_on}
            raise LetterRejected(message)
        raise LetterRejected(_("This action is not open for letters."))
    if len(body) > settings.LETTERS_MAX_BODY_CHARS:
        raise LetterRejected(
            _("The letter is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(body), "limit": settings.LETTERS_MAX_BODY_CHARS}
        )
    if not targets:
        raise LetterRejected(_("There is no official to write to for this choice."))
    if delivery == Letter.Delivery.EMAIL:
        without = [position.title for position in targets if not position.email]
        if without:
            raise LetterRejected(
                _("No e-mail address is on record for %(officials)s: choose the printable letter for post instead.")
                % {"officials": ", ".join(without)}
            )


def _recently_confirmed(supporter: Supporter, now: datetime) -> bool:
    cutoff = now - timedelta(days=settings.LETTERS_TRUST_CONFIRMED_DAYS)
    if supporter.status != Supporter.Status.CONFIRMED:
        return False
    if supporter.confirmed_at and supporter.confirmed_at >= cutoff:
        return True
    return Letter.objects.filter(
        supporter=supporter, status=Letter.Status.CONFIRMED, auto_confirmed=False, confirmed_at__gte=cutoff
    ).exists()


def letter_submit(
    *,
    action: Action,
    name: str,
    email: str,
    town: str,
    body: str,
    state: State | None = None,
    constituency: str = "",
    delivery: str = Letter.Delivery.EMAIL,
    consents: Mapping[str, bool] | None = None,
    language: str = "",
    letter_language: str = "",
    referred_by: Organisation | None = None,
    targets: list[Position] | None = None,
) -> Letter:
    """One transaction: check, record the supporter, the letter and one message per official, then ask
    for confirmation by e-mail (or, for an address confirmed recently, confirm at once).

    `language` is the writer's (their e-mails use it); `letter_language` the version of the action they wrote
    in (the greeting, signature and subject use it), by default the version their language gets."""
    from coalition.letters.tasks import send_letter_email

    if targets is None:
        targets = [p for p in action_targets(action, state=state, constituency=constituency) if not p.is_vacant]
    body = body.replace("\r\n", "\n").strip()
    letter_check(action=action, body=body, targets=targets, delivery=delivery)
    now = timezone.now()
    # Everything that needs no database is prepared before the transaction, so the write lock
    # (the whole database on SQLite) is held only for the writes themselves.
    version = action.version(letter_language or language)
    messages = []
    for position in targets:
        values = merge_values(name=name, town=town, state=state, position=position)
        messages.append(
            Message(
                action=action,
                position=position,
                term=position.current_term,
                recipient_name=position.holder_name,
                recipient_title=position.title,
                recipient_email=position.email,
                # One line whatever an official's imported name holds: a line break in a header is undeliverable.
                subject=" ".join(merge.render(version.letter_subject, values).split())[:300],
                body=letter_text(
                    language=version.language, body=body, name=name, town=town, state=state, position=position
                ),
            )
        )
    with transaction.atomic():
        supporter = supporter_record(
            name=name,
            email=email,
            country=str(state.country) if state else "",
            consents=consents or {},
            source=SOURCE,
            language=language,
            referred_by=referred_by,
        )
        letter = Letter(
            action=action,
            supporter=supporter,
            name=name,
            town=town,
            state=state,
            constituency=constituency,
            body=body,
            edited=body != version.letter_template.replace("\r\n", "\n").strip(),
            delivery=delivery,
            language=language,
            referred_by=referred_by,
            created_at=now,
        )
        # The hot path of the site: rows written without compiling a query each time (no signals on these).
        rows.insert([letter])
        for message in messages:
            message.letter = letter
        rows.insert(messages)
        if _recently_confirmed(supporter, now):
            letter_confirm(letter=letter, auto=True)
        # The e-mail (a link to confirm, or word that the letter is on its way) is written by the worker.
        enqueue_on_commit(send_letter_email, letter.pk)
    return letter


def letter_email_send(*, letter_id: int) -> str:
    """Write the e-mail that follows a letter, once: a link to confirm it, or (for a writer who proved
    the address recently) word that it is on its way. A second run finds the e-mail already written."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update()
            .select_related("action", "supporter")
            .filter(pk=letter_id, confirmation_email__isnull=True)
            .first()
        )
        if letter is None:
            return "already written, or no such letter"
        email = letter.supporter.email
        if not email or letter.scrubbed_at:
            return "the writer's address was erased"
        if letter.status == Letter.Status.UNCONFIRMED:
            template, context = "letters-confirm", {**_letter_email_context(letter), "token": letter_token(letter)}
        elif letter.status == Letter.Status.CONFIRMED and letter.auto_confirmed:
            template, context = "letters-on-its-way", _letter_email_context(letter)
        else:
            return f"nothing to say: the letter is {letter.status}"
        written = email_send(to=email, template=template, context=context, language=letter.language or None)
        Letter.objects.filter(pk=letter.pk).update(confirmation_email=written)
    return template


def _letter_email_context(letter: Letter) -> dict[str, Any]:
    return {
        "name": letter.name,
        "action_title": letter.action.version(letter.language).title,
        "action_path": path_in_language(letter.action.get_absolute_url, letter.language),
        "officials": [f"{m.recipient_title} ({m.recipient_name})" for m in letter.messages.order_by("id")],
        "days": settings.LETTERS_CONFIRM_DAYS,
        "postal": letter.delivery == Letter.Delivery.POST,
        "letter_token": letter_token(letter, salt=LETTER_LINK_SALT),
    }


# --- confirming and queueing ---------------------------------------------------------------------


def letter_confirm(*, letter: Letter, auto: bool = False) -> bool:
    """Confirm once: each message is held, queued under the daily cap, or kept for post; counts move.
    Returns False when the letter was not waiting (a second click, or expired)."""
    now = timezone.now()
    with transaction.atomic():
        changed = Letter.objects.filter(pk=letter.pk, status=Letter.Status.UNCONFIRMED).update(
            status=Letter.Status.CONFIRMED, confirmed_at=now, auto_confirmed=auto
        )
        if not changed:
            return False
        supporter_mark_confirmed(supporter=letter.supporter)
        unconfirmed = Message.objects.filter(letter=letter, status=Message.Status.UNCONFIRMED)
        # Computed on confirming, not on writing: it takes about a millisecond for a letter of a few hundred
        # words, and only confirmed letters are ever compared. On the writer's own text, before names are
        # filled in, so what differs between two letters is their words.
        signature = similarity.signature(letter.body)
        unconfirmed.update(signature=signature)
        messages = list(unconfirmed.select_related("position__state", "action"))
        for message in messages:
            if letter.delivery == Letter.Delivery.POST:
                message.status = Message.Status.POSTAL
                message.save(update_fields=["status"])
            else:
                reason = retargeting.off_target_on_confirm(message) or _similar_reason(message)
                if reason:
                    message.status, message.hold_reason = Message.Status.HELD, reason
                    message.save(update_fields=["status", "hold_reason"])
                else:
                    message_queue(message=message, now=now)
            MessageBand.objects.bulk_create(
                MessageBand(message=message, position_id=message.position_id, value=value)
                for value in similarity.bands(message.signature)
            )
            _count(message, confirmed=1)
    letter.refresh_from_db()
    return True


def _similar_reason(message: Message) -> str:
    """Why the message looks like a copy of one already confirmed for the same official, or ''."""
    threshold = settings.LETTERS_SIMILARITY_PERCENT / 100
    if threshold > 1 or not message.signature:
        return ""
    candidates = (
        Message.objects.filter(
            position_id=message.position_id,
            status__in=[Message.Status.PENDING, Message.Status.SENT, Message.Status.HELD],
            bands__value__in=similarity.bands(message.signature),
        )
        .exclude(pk=message.pk)
        .values_list("pk", "signature")[:50]
    )
    for pk, signature in candidates:
        score = similarity.similarity(message.signature, signature)
        if score >= threshold:
            return f"{round(score * 100)}% similar to message {pk} to the same official"
    return ""


def _count(message: Message, *, confirmed: int = 0, sent: int = 0) -> None:
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


def _give_back_places(messages: QuerySet[Message]) -> None:
    """Messages that will never be sent give back their places under the cap, for others to take."""
    held = messages.filter(cap_day__isnull=False).values("position_id", "cap_day").annotate(n=Count("pk")).order_by()
    for position_id, day, n in list(held.values_list("position_id", "cap_day", "n")):
        if day is not None:  # always, as filtered above; said again for the type checker
            DailySlot.objects.filter(position_id=position_id, day=day, count__gte=n).update(count=F("count") - n)
    messages.update(cap_day=None)


def message_queue(*, message: Message, now: datetime | None = None) -> Message:
    """Make a confirmed message pending, on the first day the cap allows, and enqueue its delivery."""
    from coalition.letters.tasks import deliver_message

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


# --- delivery, exactly once ----------------------------------------------------------------------


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
    from coalition.letters.tasks import deliver_message

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
            _count(found, sent=1)
    return "sent"


def messages_requeue_lost(*, now: datetime | None = None) -> int:
    """Enqueue again pending messages that are due and not leased: their task may have been lost between
    a commit and its enqueue. Harmless when the task still exists: delivery takes a lease first."""
    from coalition.letters.tasks import deliver_message

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


# --- staff ---------------------------------------------------------------------------------------


def _held_detail(message: Message) -> dict[str, Any]:
    # The official and why it was held; never the writer, whose name is personal data.
    return {"recipient": message.recipient_title, "action_id": message.action_id, "hold_reason": message.hold_reason}


def message_release(*, message: Message, by: User) -> bool:
    """Staff read a held message and let it go: it joins the queue under the daily cap."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().filter(pk=message.pk, status=Message.Status.HELD).first()
        if locked is None:
            return False
        audit_record(by=by, action="message.release", target=locked, detail=_held_detail(locked))
        message_queue(message=locked)
    return True


def message_reject(*, message: Message, by: User) -> bool:
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, status=Message.Status.HELD).update(
            status=Message.Status.REJECTED
        )
        if changed:
            _count(message, confirmed=-1)
            audit_record(by=by, action="message.reject", target=message, detail=_held_detail(message))
    return bool(changed)


# What the audit trail keeps of an action's edit: the fields that changed, before and after (texts by length).
_AUDITED = (
    "title",
    "slug",
    "language",
    "languages",
    "goal",
    "starts_on",
    "ends_on",
    "target",
    "target_role",
    "target_treaty_status",
    "show_replies",
)
_AUDITED_TEXTS = ("ask", "background", "letter_subject", "letter_template", "translations")


def _action_state(action: Action) -> dict[str, Any]:
    state: dict[str, Any] = {field: getattr(action, field) for field in _AUDITED}
    state.update({field: len(str(getattr(action, field) or "")) for field in _AUDITED_TEXTS})
    state["translations"] = sorted(action.translations)
    return state


def action_save(*, action: Action, positions: list[Position] | QuerySet[Position], by: User) -> Action:
    """Save an action from the editor (new or changed), its fixed list of officials, and who did what."""
    action.full_clean()
    created = action.pk is None
    before = {} if created else _action_state(Action.objects.get(pk=action.pk))
    before_positions = set() if created else set(action.positions.values_list("pk", flat=True))
    with transaction.atomic():
        if created:
            action.created_by = by
        action.save()
        action.positions.set(positions)
        after = _action_state(action)
        changed = {field: [before.get(field), value] for field, value in after.items() if before.get(field) != value}
        after_positions = {position.pk for position in positions}
        if after_positions != before_positions:
            changed["positions"] = [sorted(before_positions), sorted(after_positions)]
        if created or changed:
            audit_record(by=by, action="action.create" if created else "action.update", target=action, detail=changed)
    action_cache_clear()
    return action


def action_publish(*, action: Action, by: User) -> Action:
    action.full_clean()
    with transaction.atomic():
        # Publishing a published action is no decision: only the update that changes it is recorded.
        published = (
            Action.objects.filter(pk=action.pk)
            .exclude(status=Action.Status.PUBLISHED)
            .update(status=Action.Status.PUBLISHED)
        )
        if published:
            audit_record(by=by, action="action.publish", target=action, detail={"status": [action.status, "published"]})
    action_cache_clear()  # an update() sends no signal
    action.refresh_from_db()
    return action


def reply_log(
    *,
    action: Action,
    position: Position,
    summary: str,
    stance: str,
    received_on: date | None = None,
    public: bool = False,
    by: User,
) -> Reply:
    """Record an official's reply and link it to the messages of the action that official was sent."""
    with transaction.atomic():
        reply = Reply.objects.create(
            action=action,
            position=position,
            summary=summary,
            stance=stance,
            received_on=received_on or timezone.localdate(),
            public=public,
            logged_by=by,
        )
        linked = Message.objects.filter(
            action=action, position=position, status=Message.Status.SENT, reply__isnull=True
        ).update(reply=reply)
        audit_record(
            by=by,
            action="reply.log",
            target=reply,
            detail={"action": action, "stance": stance, "public": public, "messages_linked": linked},
        )
    return reply


def position_bounce_record(*, position: Position, email: str, reason: str, message: Message | None = None) -> None:
    """A bounce from an official's address: kept against the position for staff, never against a supporter."""
    with transaction.atomic():
        PositionBounce.objects.create(position=position, email=email, reason=reason, message=message)
        Position.objects.filter(pk=position.pk).update(
            bounce_count=F("bounce_count") + 1, last_bounce_at=timezone.now()
        )


def message_bounce_record(*, bounce: Bounce) -> list[BounceMatch]:
    """A bounce that came back after the mail server took the message: the message failed after all.

    Matched by the original Message-ID (fixed when the message was written); a bounce without one is
    matched by the failing address to the officials who hold it now. Recorded against the position, never
    against the writer; the counters go back down, so they still count what was delivered. Reading the
    same bounce twice records it once.
    """
    if not bounce.permanent:
        return []
    matches = []
    messages = list(Message.objects.filter(message_id__in=bounce.message_ids).select_related("position"))
    for message in messages:
        with transaction.atomic():
            failed = Message.objects.filter(pk=message.pk, status=Message.Status.SENT).update(
                status=Message.Status.FAILED, last_error=f"{BOUNCED}{bounce.reason}"[:2000]
            )
            if failed:
                _count(message, sent=-1)
            new = not PositionBounce.objects.filter(message=message).exists()
            if new:
                position_bounce_record(
                    position=message.position, email=message.recipient_email, reason=bounce.reason, message=message
                )
        matches.append(BounceMatch(f"message {message.pk} to {message.position.title}", new=new))
    if messages or bounce.message_ids:
        # A bounce of one of our other e-mails (a writer's confirmation…) is not about an official's address.
        return matches
    since = timezone.now() - timedelta(days=1)
    positions = Position.objects.annotate(address=Lower("current_term__email")).filter(address__in=bounce.permanent)
    for position in positions:
        address = position.address
        with transaction.atomic():
            new = not PositionBounce.objects.filter(
                position=position, email__iexact=address, reason=bounce.reason, recorded_at__gte=since
            ).exists()
            if new:
                position_bounce_record(position=position, email=address, reason=bounce.reason)
        matches.append(BounceMatch(f"{address}, the address of {position.title}", new=new))
    return matches


def message_answer(*, letter: Letter, answers: Mapping[int, str]) -> int:
    """The writer says, per official, whether they got a reply (asked two weeks after sending)."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for message_pk, answer in answers.items():
            if answer in Message.Answer.values:
                changed += Message.objects.filter(pk=message_pk, letter=letter).update(
                    supporter_answer=answer, answered_at=now
                )
    return changed


# --- housekeeping (daily) ------------------------------------------------------------------------


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


def letters_remind_unconfirmed(*, now: datetime | None = None) -> int:
    """One reminder, a day after writing, to writers who have not confirmed yet."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.LETTERS_REMIND_HOURS)
    expiry = now - timedelta(days=settings.LETTERS_CONFIRM_DAYS)
    count = 0
    due = Letter.objects.filter(
        status=Letter.Status.UNCONFIRMED, reminded_at__isnull=True, created_at__lt=cutoff, created_at__gte=expiry
    ).select_related("action", "supporter")
    for letter in due.iterator():
        with transaction.atomic():
            # The conditional update makes a second run (or a second process) send nothing more.
            if not Letter.objects.filter(pk=letter.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            if letter.supporter.email:
                email_send(
                    to=letter.supporter.email,
                    template="letters-reminder",
                    context={**_letter_email_context(letter), "token": letter_token(letter)},
                    language=letter.language or None,
                )
                count += 1
    return count


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
    count = 0
    for letter in due.iterator():
        with transaction.atomic():
            if not Letter.objects.filter(pk=letter.pk, followed_up_at__isnull=True).update(followed_up_at=now):
                continue
            if letter.supporter.email:
                email_send(
                    to=letter.supporter.email,
                    template="letters-follow-up",
                    context=_letter_email_context(letter),
                    language=letter.language or None,
                )
                count += 1
    return count


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
    _give_back_places(Message.objects.filter(pk__in=failing))
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
