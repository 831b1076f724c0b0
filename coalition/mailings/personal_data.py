"""What the mailings app holds on a supporter: their lists and the mailings sent to them; erased with them.

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.mailings import services
from coalition.mailings.models import Delivery, Subscription
from coalition.members.models import Supporter

TEMPLATE = "mailings/includes/personal_data.html"


def export(supporter: Supporter) -> dict[str, Any]:
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


def erase(supporter: Supporter, now: datetime) -> None:
    """Off every list (subscriptions go; the consent records stay detached, as members keeps them); queued
    deliveries are never sent; bounces and the suppression of the address go with it."""
    Subscription.objects.filter(supporter=supporter).delete()
    Delivery.objects.filter(supporter=supporter, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, last_error="Erased", lease_until=None, claim=""
    )
    if supporter.email:
        services.mailings_erase_address(email=supporter.email)
