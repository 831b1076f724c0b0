"""Whom a request for personal data is about (`DataSubject`), and what the e-mail queue holds on them: the
e-mails written to their address.

Part of the `personal_data` convention (coalition/core/discovery.py): members' "your data" page, export and
erasure call every app's module with a `DataSubject`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from coalition.core import services

if TYPE_CHECKING:  # core sits below the apps: it knows a supporter only by their address
    from coalition.members.models import Supporter


@dataclass(frozen=True)
class DataSubject:
    """A person whose data we hold, known by the address they gave us: a supporter (with their row), or a
    guest who only replied to an event (`supporter` is None). Apps find what is theirs by either."""

    email: str
    supporter: Supporter | None = None


def export(subject: DataSubject) -> dict[str, Any]:
    """Each e-mail we wrote to the address: what it was and when. Not the bodies: they are our templates
    around links that act for the person, and the subject says which e-mail it was."""
    if not subject.email:
        return {"emails": []}
    emails = services.emails_to(subject.email).order_by("created_at", "id")
    return {
        "emails": [
            {
                "subject": email.subject,
                "status": email.status,
                "written_at": email.created_at.isoformat(),
                "sent_at": email.sent_at.isoformat() if email.sent_at else None,
            }
            for email in emails.only("subject", "status", "created_at", "sent_at")
        ]
    }


def erase(subject: DataSubject, now: datetime) -> None:
    if subject.email:
        services.emails_erase_recipient(address=subject.email)
