"""Bounces of mailings, from the bounce mailbox (coalition/lib/bounces.py): recorded per address."""

from __future__ import annotations

from coalition.lib.bounces import Bounce, BounceMatch
from coalition.mailings import services
from coalition.mailings.models import AddressEvent, Delivery


def bounce_handle(bounce: Bounce) -> list[BounceMatch]:
    matches = []
    deliveries = Delivery.objects.filter(message_id__in=bounce.message_ids).select_related("supporter")
    for delivery in deliveries:
        address = (delivery.supporter.email or "").lower()
        for kind, addresses in ((AddressEvent.Kind.HARD, bounce.permanent), (AddressEvent.Kind.SOFT, bounce.temporary)):
            if address and address in addresses:
                new = services.address_event_record(
                    email=address, kind=kind, reason=bounce.reason, source="bounce", message_id=delivery.message_id
                )
                matches.append(BounceMatch(f"mailing {delivery.mailing_id} delivery {delivery.pk} ({kind})", new=new))
    return matches
