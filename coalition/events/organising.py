"""Writes of organisers and staff: an event from draft through review to published, its changes (told to
everyone who replied), and its cancellation.

A change of places (capacity) locks the event row first, as every write about places does (services.py).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record, field_changes
from coalition.core.services import Attachment, email_send
from coalition.events import ical
from coalition.events.models import RSVP, Event, EventPartner
from coalition.events.reminders import schedule_reminders
from coalition.events.services import EventError, event_link, promote_waiting_list, rsvp_email_context
from coalition.members.models import Organisation

# Where the event takes place: the venue and its address, or the online link (or both).
PLACE_FIELDS = ("venue", "address", "city", "country", "latitude", "longitude", "online_url")
# Fields the organisers set through the form; status, places and moderation are the services'.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    *PLACE_FIELDS,
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
        promote_waiting_list(locked)
        if locked.status == Event.Status.PUBLISHED and locked.starts_at != old_start:
            schedule_reminders(locked)
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
                **rsvp_email_context(rsvp, event),
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
        email_send(to=event.created_by.email, template=template, context={"event": event, "url": event_link(event)})


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
        schedule_reminders(locked)
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
                    context={"event": locked, "rsvp": rsvp, "url": event_link(locked, rsvp.language)},
                    language=rsvp.language or None,
                    attachments=[calendars[place]],
                )
    return locked
