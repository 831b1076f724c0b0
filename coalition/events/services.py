"""Writes of the events app: events and their moderation, RSVPs with the waiting list, reminders, reports.

Every function that changes places (a reply, a cancellation, a change of capacity) locks the event
row first, so two people taking the last place at once are served one after the other: one gets
it, the other goes to the waiting list.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record, field_changes
from coalition.core.services import Attachment, email_send, enqueue_on_commit, link_in_language
from coalition.events import ical
from coalition.events.models import (
    RSVP,
    RSVP_TOKEN_MAX_LENGTH,
    Event,
    EventPartner,
    EventReport,
    ReportPhoto,
    new_rsvp_token,
)
from coalition.events.photos import NOT_A_PHOTO, photo_extension
from coalition.members.models import Organisation

logger = logging.getLogger(__name__)


class EventError(Exception):
    """A request the rules refuse; the message is for the person who asked, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- events and moderation ---------------------------------------------------------------------

# Fields the organisers set through the form; status, places and moderation are the services'.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "venue",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "online_url",
    "address_visibility",
    "starts_at",
    "ends_at",
    "timezone",
    "language",
    "capacity",
    "accessibility",
    "translations",
)


def _set_partners(event: Event, partners: Iterable[tuple[Organisation, str]]) -> None:
    wanted = {organisation.pk: role for organisation, role in partners if organisation.pk != event.organisation_id}
    event.partnerships.exclude(organisation_id__in=wanted).delete()
    existing = {p.organisation_id: p for p in event.partnerships.all()}
    for organisation_id, role in wanted.items():
        partnership = existing.get(organisation_id)
        if partnership is None:
            EventPartner.objects.create(event=event, organisation_id=organisation_id, role=role)
        elif partnership.role != role:
            partnership.role = role
            partnership.save(update_fields=["role"])


def event_create(
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    by: User,
    partners: Iterable[tuple[Organisation, str]] = (),
) -> Event:
    """A new draft; it is seen by the public only once staff publish it."""
    with transaction.atomic():
        event = Event(organisation=organisation, created_by=by, status=Event.Status.DRAFT)
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.full_clean()
        event.save()
        _set_partners(event, partners)
        audit_record(by=by, action="event.create", target=event, detail={"organisation": organisation})
    return event


# What people who replied are told about when it changes, with a new calendar file: the time, the place, and
# the format (the online link that makes an event online or hybrid). A description or title edit is not.
CHANGES_TOLD = {
    "when": ("starts_at", "ends_at", "timezone"),
    "place": ("venue", "address", "city", "country"),
    "online": ("online_url",),
}


def _changes_told(before: Event, after: Event) -> set[str]:
    def differs(name: str) -> bool:
        old, new = getattr(before, name), getattr(after, name)
        if isinstance(old, datetime) and isinstance(new, datetime):
            # The same instant written in another zone is no change, nor seconds the form does not show.
            return old.replace(second=0, microsecond=0) != new.replace(second=0, microsecond=0)
        return str(old or "") != str(new or "")  # a country is a Country object or a code

    return {group for group, names in CHANGES_TOLD.items() if any(differs(name) for name in names)}


def event_update(
    *,
    event: Event,
    data: Mapping[str, Any],
    by: User,
    partners: Iterable[tuple[Organisation, str]] | None = None,
) -> Event:
    """Change the details; more places promote people from the waiting list, and a new start time
    moves the reminders.

    A change of time, place or format raises the event's calendar revision (`sequence`); if the event is
    published and not over, everyone who replied (the waiting list too) gets one e-mail saying what changed,
    with the new calendar file (`_tell_replies_of_change`).
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        before_event = copy.copy(locked)
        old_start = locked.starts_at
        before = {name: getattr(locked, name) for name in EVENT_FIELDS if name in data}
        for name in EVENT_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        if locked.capacity is not None and locked.capacity < locked.places_taken:
            raise EventError(
                _("The capacity cannot be below the %(n)s places already taken.") % {"n": locked.places_taken}
            )
        locked.full_clean()
        told = _changes_told(before_event, locked)
        if told:
            locked.sequence += 1
        locked.save()
        if partners is not None:
            _set_partners(locked, partners)
        changed = field_changes(before, {name: getattr(locked, name) for name in before})
        if changed:
            audit_record(by=by, action="event.update", target=locked, detail={"fields": changed})
        _promote_waiting_list(locked)
        if locked.status == Event.Status.PUBLISHED and locked.starts_at != old_start:
            _schedule_reminders(locked)
        if told and locked.status == Event.Status.PUBLISHED and not before_event.is_past:
            _tell_replies_of_change(locked, before_event, told)
    return locked


def _replies_to_tell(event: Event) -> QuerySet[RSVP]:
    """Everyone with a place or on the waiting list; replies without an address are of people who erased
    their data."""
    return event.rsvps.filter(status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITING]).exclude(email="").order_by("pk")


def _calendar_file(event: Event, *, place: str, method: str = "PUBLISH") -> Attachment:
    body = ical.calendar_for([event], name=event.title, method=method, place=place)
    return Attachment(filename=f"event-{event.pk}.ics", content=body.decode(), mimetype="text/calendar")


def _tell_replies_of_change(event: Event, before: Event, told: set[str]) -> int:
    """One e-mail per reply: what changed (old → new, times in the event's zone) and the calendar file that
    replaces theirs (same UID, higher SEQUENCE). The exact address is shown to people with a confirmed place
    only; a waiting person for whom nothing they may see changed gets nothing."""
    calendars: dict[str, Attachment] = {}
    sent = 0
    for rsvp in _replies_to_tell(event).iterator(chunk_size=500):
        confirmed = rsvp.status == RSVP.Status.CONFIRMED
        place_before = before.full_place if confirmed else before.public_place
        place_now = event.full_place if confirmed else event.public_place
        shown = {
            "when": "when" in told,
            "place": "place" in told and place_before != place_now,
            "online": "online" in told,
        }
        if not any(shown.values()):
            continue
        if place_now not in calendars:
            calendars[place_now] = _calendar_file(event, place=place_now)
        email_send(
            to=rsvp.email,
            template="events-event-changed",
            context={
                **_rsvp_context(rsvp, event),
                "before": before,
                "changed": shown,
                "place_before": place_before,
            },
            language=rsvp.language or None,
            attachments=[calendars[place_now]],
        )
        sent += 1
    return sent


def _notify_creator(event: Event, template: str) -> None:
    if event.created_by and event.created_by.email:
        email_send(to=event.created_by.email, template=template, context={"event": event, "url": _url(event)})


def event_submit(*, event: Event, by: User) -> Event:
    """The organisers ask for review; only a draft (new or sent back) can be submitted."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != Event.Status.DRAFT:
            raise EventError(_("Only a draft can be submitted for review."))
        locked.status = Event.Status.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(by=by, action="event.submit", target=locked)
    return locked


def event_publish(*, event: Event, by: User) -> Event:
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status not in {Event.Status.SUBMITTED, Event.Status.DRAFT}:
            raise EventError(_("This event is already published or cancelled."))
        audit_record(by=by, action="event.publish", target=locked, detail={"status": [locked.status, "published"]})
        locked.status = Event.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.moderation_note = ""
        locked.save(update_fields=["status", "published_at", "moderation_note", "updated_at"])
        _schedule_reminders(locked)
        _notify_creator(locked, "events-published")
    return locked


def event_send_back(*, event: Event, by: User, comment: str) -> Event:
    """Return a submitted event to its organisers as a draft, with what to change."""
    if not comment.strip():
        raise EventError(_("Say what the organisers should change."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != Event.Status.SUBMITTED:
            raise EventError(_("Only an event waiting for review can be sent back."))
        locked.status = Event.Status.DRAFT
        locked.moderation_note = comment.strip()
        locked.save(update_fields=["status", "moderation_note", "updated_at"])
        audit_record(by=by, action="event.send_back", target=locked, detail={"comment": locked.moderation_note})
        _notify_creator(locked, "events-sent-back")
    return locked


def event_cancel(*, event: Event, by: User, reason: str = "") -> Event:
    """Cancel the event and tell everyone who replied (confirmed or waiting), once each."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == Event.Status.CANCELLED:
            return locked
        was_public = locked.status == Event.Status.PUBLISHED
        locked.status = Event.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancellation_reason = reason.strip()
        locked.sequence += 1  # calendars that hold the event take the cancellation over their copy
        locked.save(update_fields=["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"])
        audit_record(
            by=by,
            action="event.cancel",
            target=locked,
            detail={"reason": locked.cancellation_reason, "was_public": was_public},
        )
        if was_public:
            # The file sent with the e-mail removes the event from the person's calendar (METHOD:CANCEL).
            calendars: dict[str, Attachment] = {}
            for rsvp in _replies_to_tell(locked).iterator(chunk_size=500):
                place = locked.full_place if rsvp.status == RSVP.Status.CONFIRMED else locked.public_place
                if place not in calendars:
                    calendars[place] = _calendar_file(locked, place=place, method="CANCEL")
                email_send(
                    to=rsvp.email,
                    template="events-event-cancelled",
                    context={"event": locked, "rsvp": rsvp, "url": _url(locked, rsvp.language)},
                    language=rsvp.language or None,
                    attachments=[calendars[place]],
                )
    return locked


# --- RSVPs -------------------------------------------------------------------------------------


def rsvp_manage_url(rsvp: RSVP) -> str:
    """The link in a reply's e-mails: whoever holds it can see and cancel the reply.

    Its secret is the reply's random `token`, so the link (which ends up in mail logs, browser histories
    and server logs) says nothing about who replied, and stops working once that person erased their data.
    """
    return link_in_language(lambda: reverse("events:rsvp-manage", args=[rsvp.token]), rsvp.language)


def rsvp_from_token(token: str) -> RSVP | None:
    """The reply whose link this is; None for anything else, links in the old (signed) form included."""
    if not token or len(token) > RSVP_TOKEN_MAX_LENGTH:
        return None
    return RSVP.objects.select_related("event", "event__organisation").filter(token=token).first()


def _url(event: Event, language: str | None = None) -> str:
    return link_in_language(event.get_absolute_url, language)


def _rsvp_context(rsvp: RSVP, event: Event) -> dict[str, Any]:
    return {
        "event": event,
        "rsvp": rsvp,
        "url": _url(event, rsvp.language),
        "manage_url": rsvp_manage_url(rsvp),
        # The exact address goes only to people with a confirmed place.
        "place": event.full_place if rsvp.status == RSVP.Status.CONFIRMED else event.public_place,
    }


def _send_rsvp_email(rsvp: RSVP, event: Event, template: str) -> None:
    email_send(to=rsvp.email, template=template, context=_rsvp_context(rsvp, event), language=rsvp.language or None)


def rsvp_create(
    *,
    event: Event,
    name: str,
    email: str,
    guests: int = 0,
    language: str = "",
    referred_by: Organisation | None = None,
) -> RSVP:
    """Reply to an event: a confirmed place if one is free and nobody is waiting, else the waiting list.

    Raises EventError, storing nothing, for a closed event, a second reply from the same address,
    or a group larger than the whole event.
    """
    email = email.strip().lower()
    places = 1 + guests
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == Event.Status.CANCELLED:
            raise EventError(_("This event was cancelled."))
        if locked.status != Event.Status.PUBLISHED:
            raise EventError(_("This event is not open for replies."))
        if locked.has_started:
            raise EventError(_("This event has already started: replies are closed."))
        if locked.capacity is not None and places > locked.capacity:
            raise EventError(
                _("The event has %(capacity)s places in all: come with fewer guests.") % {"capacity": locked.capacity}
            )
        if locked.rsvps.filter(email=email).exclude(status=RSVP.Status.CANCELLED).exists():
            raise EventError(
                _("This address has already replied. The e-mail we sent has a link to change or cancel the reply.")
            )
        someone_waiting = locked.rsvps.filter(status=RSVP.Status.WAITING).exists()
        fits = locked.capacity is None or locked.places_taken + places <= locked.capacity
        status = RSVP.Status.CONFIRMED if fits and not someone_waiting else RSVP.Status.WAITING
        try:
            with transaction.atomic():
                rsvp = RSVP.objects.create(
                    event=locked,
                    name=name.strip(),
                    email=email,
                    guests=guests,
                    status=status,
                    language=language,
                    referred_by=referred_by,
                )
        except IntegrityError:
            # The partial unique index caught a reply that raced this one from the same address.
            raise EventError(_("This address has already replied.")) from None
        if status == RSVP.Status.CONFIRMED:
            Event.objects.filter(pk=locked.pk).update(places_taken=locked.places_taken + places)
            locked.places_taken += places
        _send_rsvp_email(
            rsvp, locked, "events-rsvp-confirmed" if status == RSVP.Status.CONFIRMED else "events-rsvp-waiting"
        )
    return rsvp


def rsvp_cancel(*, rsvp: RSVP) -> RSVP:
    """Give up a place (or a spot on the waiting list); the freed places go to the waiting list in order."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=rsvp.event_id)
        locked = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if locked.status == RSVP.Status.CANCELLED:
            return locked
        if event.has_started:
            raise EventError(_("The event has already started."))
        was_confirmed = locked.status == RSVP.Status.CONFIRMED
        locked.status = RSVP.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            event.places_taken = max(0, event.places_taken - locked.places)
            Event.objects.filter(pk=event.pk).update(places_taken=event.places_taken)
        if event.status == Event.Status.PUBLISHED:
            _promote_waiting_list(event)
    return locked


def rsvps_erase_address(*, email: str) -> int:
    """Someone erased their data: they no longer come. A reply to an event still to come is cancelled as
    they would cancel it (their places go to the waiting list); one to an event that started stays as it
    was, so attendance counts hold. Then every reply from the address loses the name, address and language,
    and gets a new link secret nobody knows, so the links in their old e-mails open nothing.

    Called by the supporter's erasure, inside its transaction (coalition/events/personal_data.py).
    """
    email = email.strip().lower()
    active = RSVP.objects.filter(email=email).exclude(status=RSVP.Status.CANCELLED).select_related("event")
    for rsvp in active.order_by("pk"):
        if rsvp.event.has_started:
            continue
        try:
            rsvp_cancel(rsvp=rsvp)
        except EventError:
            pass  # it started meanwhile: the reply stays as it was, without the person
    replies = list(RSVP.objects.filter(email=email).only("pk"))
    for rsvp in replies:
        rsvp.name, rsvp.email, rsvp.language, rsvp.token = "", "", "", new_rsvp_token()
    RSVP.objects.bulk_update(replies, ["name", "email", "language", "token"])
    return len(replies)


def rsvp_send_links(*, email: str, language: str = "") -> int:
    """E-mail the address a fresh copy of the links to its replies to events still to come; returns how many.

    For people whose link stopped working (links sent before they became random, or a lost e-mail). The page
    that asks says the same whether or not the address replied, so it tells nobody who comes to what.
    """
    email = email.strip().lower()
    if not email:
        return 0
    replies = list(
        RSVP.objects.filter(
            email=email,
            status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITING],
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=timezone.now(),
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    if replies:
        email_send(
            to=email,
            template="events-rsvp-links",
            context={
                "name": replies[-1].name,
                "replies": [
                    {"rsvp": rsvp, "event": rsvp.event, "manage_url": rsvp_manage_url(rsvp)} for rsvp in replies
                ],
            },
            language=language or replies[-1].language or None,
        )
    return len(replies)


def _promote_waiting_list(event: Event) -> list[RSVP]:
    """Give free places to the waiting list in the order people replied; the caller holds the event lock.

    Strictly first come, first served: if the next person's group does not fit, later (smaller)
    groups wait too, so nobody is overtaken.
    """
    if event.status != Event.Status.PUBLISHED or event.has_started:
        return []
    promoted = []
    now = timezone.now()
    waiting = event.rsvps.filter(status=RSVP.Status.WAITING).order_by("created_at", "id")
    for rsvp in waiting:
        if event.capacity is not None and event.places_taken + rsvp.places > event.capacity:
            break
        rsvp.status = RSVP.Status.CONFIRMED
        rsvp.promoted_at = now
        rsvp.save(update_fields=["status", "promoted_at"])
        event.places_taken += rsvp.places
        promoted.append(rsvp)
    if promoted:
        Event.objects.filter(pk=event.pk).update(places_taken=event.places_taken)
        for rsvp in promoted:
            _send_rsvp_email(rsvp, event, "events-rsvp-promoted")
    return promoted


def rsvp_check_in(*, rsvp: RSVP, by: User, undo: bool = False) -> RSVP:
    """Mark someone as arrived at the door (or take it back after a wrong click)."""
    if rsvp.status == RSVP.Status.CANCELLED and not undo:
        raise EventError(_("This reply was cancelled."))
    with transaction.atomic():
        was_in = rsvp.checked_in_at is not None
        rsvp.checked_in_at = None if undo else (rsvp.checked_in_at or timezone.now())
        rsvp.save(update_fields=["checked_in_at"])
        if was_in != (rsvp.checked_in_at is not None):
            # Named by number and event: the attendee's name is personal data.
            audit_record(
                by=by,
                action="rsvp.undo_check_in" if undo else "rsvp.check_in",
                target=rsvp,
                detail={"event_id": rsvp.event_id},
            )
    return rsvp


# --- reminders ---------------------------------------------------------------------------------


def reminder_lead() -> timedelta:
    return timedelta(hours=settings.EVENTS_REMINDER_HOURS)


def _schedule_reminders(event: Event) -> None:
    """Queue the reminder task for the time reminders are due; an earlier run re-queues itself."""
    from coalition.events.tasks import send_event_reminders

    due = event.starts_at - reminder_lead()
    enqueue_on_commit(send_event_reminders.using(run_after=max(due, timezone.now())), event.pk)


def event_send_reminders(*, event_id: int, now: datetime | None = None) -> int:
    """Queue one reminder per confirmed reply that has none yet; returns how many were queued.

    Safe to run any number of times, by several workers at once, or again after a worker died:
    each reply's `reminder_sent_at` is claimed by a conditional update in the same transaction
    that records the e-mail, so a reply gets its reminder exactly once.
    """
    from coalition.events.tasks import send_event_reminders

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
            _send_rsvp_email(rsvp, event, "events-reminder")
        sent += 1
    return sent


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Every published event whose reminders are due now (`manage.py send_event_reminders`, a safety net)."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + reminder_lead()
    ).values_list("pk", flat=True)
    return sum(event_send_reminders(event_id=pk, now=now) for pk in list(events))


# --- the report after the event -----------------------------------------------------------------


def report_save(
    *,
    event: Event,
    attendance: int,
    notes: str,
    photos: Sequence[tuple[UploadedFile, str]] = (),
    by: User | None,
) -> EventReport:
    if not event.has_started:
        raise EventError(_("The report can be written once the event has started."))
    if event.status != Event.Status.PUBLISHED:
        raise EventError(_("Only a published event can have a report."))
    if any(photo_extension(upload) is None for upload, _caption in photos):
        raise EventError(str(NOT_A_PHOTO))
    with transaction.atomic():
        report, _created = EventReport.objects.update_or_create(
            event=event, defaults={"attendance": attendance, "notes": notes.strip(), "written_by": by}
        )
        for upload, caption in photos:
            # Stored under the extension of its content (models._photo_path), never the uploaded one.
            ReportPhoto.objects.create(report=report, image=upload, caption=caption)
    return report


def report_photo_delete(*, photo: ReportPhoto) -> None:
    photo.image.delete(save=False)
    photo.delete()
