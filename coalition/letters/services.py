"""Writes of the letters app: submitting, confirming (and so queueing), the e-mail that follows a letter,
staff review and editing, replies. Delivery is in `delivery`, the daily upkeep in `housekeeping`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import email_send, enqueue_on_commit, path_in_language
from coalition.letters import greetings, merge, retargeting, similarity
from coalition.letters.delivery import counts_move, message_queue
from coalition.letters.models import Action, Letter, Message, MessageBand, Position, Reply
from coalition.letters.selectors import action_cache_clear, action_targets
from coalition.letters.tokens import LETTER_LINK_SALT, letter_token
from coalition.lib import rows
from coalition.lib.refusals import Refused
from coalition.members.models import Organisation, Supporter
from coalition.members.supporters import supporter_mark_confirmed, supporter_record
from coalition.states.models import State

SOURCE = "letters:write"


class LetterRejected(Refused):
    """The letter cannot be accepted as written; the message says why, and nothing was saved."""


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
            template, context = "letters-confirm", {**letter_email_context(letter), "token": letter_token(letter)}
        elif letter.status == Letter.Status.CONFIRMED and letter.auto_confirmed:
            template, context = "letters-on-its-way", letter_email_context(letter)
        else:
            return f"nothing to say: the letter is {letter.status}"
        written = email_send(to=email, template=template, context=context, language=letter.language or None)
        Letter.objects.filter(pk=letter.pk).update(confirmation_email=written)
    return template


@task()
def send_letter_email(letter_id: int) -> str:
    return letter_email_send(letter_id=letter_id)


def letter_email_context(letter: Letter) -> dict[str, Any]:
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
            counts_move(message, confirmed=1)
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
            counts_move(message, confirmed=-1)
            audit_record(by=by, action="message.reject", target=message, detail=_held_detail(message))
    return bool(changed)


# What the audit trail keeps of an action's edit: the fields that changed, before and after (texts by length).
_AUDITED = (
    "title",
    "slug",
    "language",
    "languages",
    *Action.PLAN_FIELDS,
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
