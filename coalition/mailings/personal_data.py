"""What the mailings app holds on a person: a supporter's lists and the mailings sent to them, and bounces and
suppression of any address; erased with them.

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.core.personal_data import DataSubject
from coalition.mailings import bounces
from coalition.mailings.models import Delivery, Subscription

TEMPLATE = "mailings/includes/personal_data.html"


def export(subject: DataSubject) -> dict[str, Any]:
    supporter = subject.supporter
    if supporter is None:
        return {"mailing_lists": [], "mailings_received": []}
    return {
        "mailing_lists": [
            {
                "list": subscription.mailing_list.name,
                "joined_at": subscription.joined_at.isoformat(),
                "left_at": subscription.left_at.isoformat() if subscription.left_at else None,
            }
            for subscription in Subscription.objects.filter(supporter=supporter).select_related("mailing_list")
        ],
        "mailings_received": [
            {"mailing": delivery.mailing.name, "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None}
            for delivery in Delivery.objects.filter(supporter=supporter, status=Delivery.Status.SENT).select_related(
                "mailing"
            )
        ],
    }


def erase(subject: DataSubject, now: datetime) -> None:
    """Off every list (subscriptions go; the consent records stay detached, as members keeps them); queued
    deliveries are never sent; bounces and the suppression of the address go with it."""
    if subject.supporter is not None:
        Subscription.objects.filter(supporter=subject.supporter).delete()
        Delivery.objects.filter(supporter=subject.supporter, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED, last_error="Erased", lease_until=None, claim=""
        )
    if subject.email:
        bounces.mailings_erase_address(email=subject.email)
