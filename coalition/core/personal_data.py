"""What the e-mail queue holds on a supporter: the e-mails written to their address.

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from coalition.core import services
from coalition.core.models import Email

if TYPE_CHECKING:  # core sits below the apps: it knows a supporter only by their address
    from coalition.members.models import Supporter


def export(supporter: Supporter) -> dict[str, Any]:
    """Each e-mail we wrote to the address: what it was and when. Not the bodies: they are our templates
    around links that act for the person, and the subject says which e-mail it was."""
    if not supporter.email:
        return {"emails": []}
    emails = Email.objects.filter(to__iexact=supporter.email).order_by("created_at", "id")
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


def erase(supporter: Supporter, now: datetime) -> None:
    if supporter.email:
        services.emails_erase_recipient(address=supporter.email)
