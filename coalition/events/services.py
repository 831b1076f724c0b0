"""Writes of the events app about replies: RSVPs with the waiting list, their e-mails, the check-in at the door,
and the report after the event. Events themselves (drafts, review, changes, cancellation) are in `organising.py`,
reminders in `reminders.py`.

Every function that changes places (a reply, a cancellation, a change of capacity) locks the event
row first, so two people taking the last place at once are served one after the other: one gets
it, the other goes to the waiting list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import email_send, link_in_language
from coalition.events.models import (
    RSVP,
    RSVP_TOKEN_MAX_LENGTH,
    Event,
    EventReport,
    ReportPhoto,
    new_rsvp_token,
)
from coalition.events.photos import NOT_A_PHOTO, photo_extension
from coalition.lib.refusals import Refused
from coalition.members.models import Organisation

logger = logging.getLogger(__name__)


class EventError(Refused):
    """A request the rules refuse; the message is for the person who asked, already translated."""


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


def event_link(event: Event, language: str | None = None) -> str:
    return link_in_language(event.get_absolute_url, language)


def rsvp_email_context(rsvp: RSVP, event: Event) -> dict[str, Any]:
    return {
        "event": event,
        "rsvp": rsvp,
        "url": event_link(event, rsvp.language),
        "manage_url": rsvp_manage_url(rsvp),
        # The exact address goes only to people with a confirmed place.
        "place": event.full_place if rsvp.status == RSVP.Status.CONFIRMED else event.public_place,
    }


def rsvp_email_send(rsvp: RSVP, event: Event, template: str) -> None:
    email_send(
        to=rsvp.email, template=template, context=rsvp_email_context(rsvp, event), language=rsvp.language or None
    )


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
        rsvp_email_send(
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
            promote_waiting_list(event)
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


def promote_waiting_list(event: Event) -> list[RSVP]:
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
            rsvp_email_send(rsvp, event, "events-rsvp-promoted")
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
