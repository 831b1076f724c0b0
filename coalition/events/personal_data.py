"""What the events app holds on a person: their replies to events, found by their address (a reply needs no
sign-up, so it has no link to the supporter row). A guest who replied without signing up has the same rights
as a supporter: a reply is what their "your data" link is tied to (`subject_reference`, `subject_address`).

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.core.personal_data import DataSubject
from coalition.events import selectors, services
from coalition.events.models import RSVP

TEMPLATE = "events/includes/personal_data.html"


def export(subject: DataSubject) -> dict[str, Any]:
    if not subject.email:
        return {"event_replies": []}
    return {
        "event_replies": [
            {
                "event": rsvp.event.title,
                "starts_at": rsvp.event.starts_at.isoformat(),
                "name": rsvp.name,
                "status": rsvp.status,
                "status_label": str(rsvp.get_status_display()),
                "guests": rsvp.guests,
                "replied_at": rsvp.created_at.isoformat(),
                "cancelled_at": rsvp.cancelled_at.isoformat() if rsvp.cancelled_at else None,
                "checked_in_at": rsvp.checked_in_at.isoformat() if rsvp.checked_in_at else None,
            }
            for rsvp in selectors.rsvps_of_address(subject.email)
        ]
    }


def erase(subject: DataSubject, now: datetime) -> None:
    if subject.email:
        services.rsvps_erase_address(email=subject.email)


def subject_reference(email: str) -> str | None:
    """One reply from the address (its number), for a data link of someone who is no supporter; None if none."""
    first = selectors.rsvps_of_address(email).values_list("pk", flat=True).first()
    return str(first) if first else None


def subject_address(reference: str) -> str:
    """The address that reply holds now: blank once the person erased their data, so their links stop working."""
    if not reference.isdigit():
        return ""
    return RSVP.objects.filter(pk=int(reference)).values_list("email", flat=True).first() or ""
