"""Bounces of mailings, from the bounce mailbox (coalition/lib/bounces.py): recorded per address; and the
unsubscribe requests that arrive in the same mailbox through the List-Unsubscribe mailto address."""

from __future__ import annotations

import re
from email.message import Message

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


# The subject the mailto of List-Unsubscribe sets (render.bulk_headers); mail programs keep it, maybe after "Re:".
_UNSUBSCRIBE = re.compile(r"\bunsubscribe-([0-9a-f]{40})\b", re.IGNORECASE)


def mail_handle(message: Message) -> list[BounceMatch]:
    """A message sent to the List-Unsubscribe mailto address: its token, as the one-click link's, unsubscribes
    the recipient of that copy from its list. Whoever holds the copy may do so, as with the link."""
    found = _UNSUBSCRIBE.search(str(message.get("Subject", "") or ""))
    if not found:
        return []
    delivery = services.delivery_from_token(found.group(1).lower())
    if delivery is None:
        return []
    new = services.unsubscribe(delivery=delivery, source="unsubscribe-mailto")
    return [BounceMatch(f"mailing {delivery.mailing_id} delivery {delivery.pk}: unsubscribe by mail", new=new)]
