"""What the events app holds on a supporter: their replies to events, found by their address (a reply
needs no sign-up, so it has no link to the supporter row).

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.events import selectors, services
from coalition.members.models import Supporter

TEMPLATE = "events/includes/personal_data.html"


def export(supporter: Supporter) -> dict[str, Any]:
    if not supporter.email:
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
            for rsvp in selectors.rsvps_of_address(supporter.email)
        ]
    }


def erase(supporter: Supporter, now: datetime) -> None:
    if supporter.email:
        services.rsvps_erase_address(email=supporter.email)
