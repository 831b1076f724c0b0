"""Bounces and complaints of mailings: recorded per address, which is suppressed when the rules say so; from the
bounce mailbox (coalition/lib/bounces.py), the sending itself and the providers' webhooks. And the unsubscribe
requests that arrive in the same mailbox through the List-Unsubscribe mailto address."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import Message

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.lib.bounces import Bounce, BounceMatch
from coalition.mailings import services
from coalition.mailings.models import AddressEvent, Delivery, Suppression


def address_event_record(*, email: str, kind: str, reason: str = "", source: str = "", message_id: str = "") -> bool:
    """Record a bounce or complaint for an address and suppress it when the rules say so; False when this very
    event (same message, address and kind) was recorded before, or when the address is not one (a provider's
    payload can carry anything: nothing is recorded for it)."""
    email = email.strip().lower()
    if len(email) > AddressEvent._meta.get_field("email").max_length:  # type: ignore[operator]
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    now = timezone.now()
    with transaction.atomic():
        if message_id and AddressEvent.objects.filter(email=email, kind=kind, message_id=message_id).exists():
            return False
        AddressEvent.objects.create(
            email=email, kind=kind, reason=reason[:2000], source=source[:50], message_id=message_id[:200], at=now
        )
        if message_id:
            Delivery.objects.filter(message_id=message_id, bounced_at__isnull=True).update(bounced_at=now)
        suppress = ""
        if kind == AddressEvent.Kind.HARD:
            suppress = "Hard bounce: " + reason
        elif kind == AddressEvent.Kind.COMPLAINT:
            suppress = "Complaint: the recipient marked a mailing as spam"
        else:
            window = now - timedelta(days=settings.MAILINGS_SOFT_BOUNCE_WINDOW_DAYS)
            soft = AddressEvent.objects.filter(email=email, kind=AddressEvent.Kind.SOFT, at__gte=window).count()
            if soft >= settings.MAILINGS_SOFT_BOUNCE_LIMIT:
                suppress = f"{soft} soft bounces within {settings.MAILINGS_SOFT_BOUNCE_WINDOW_DAYS} days"
        if suppress:
            Suppression.objects.get_or_create(email=email, defaults={"reason": suppress[:300], "at": now})
    return True


def suppression_lift(*, email: str, by: User) -> bool:
    with transaction.atomic():
        found = Suppression.objects.filter(email=email.strip().lower()).first()
        if found is None:
            return False
        audit_record(by=by, action="suppression.lift", target=None, label=f"suppression {found.pk}")
        found.delete()
    return True


def mailings_erase_address(*, email: str) -> None:
    """An erased supporter: their bounces and suppression go with their address."""
    AddressEvent.objects.filter(email__iexact=email).delete()
    Suppression.objects.filter(email__iexact=email).delete()


def bounce_handle(bounce: Bounce) -> list[BounceMatch]:
    matches = []
    deliveries = Delivery.objects.filter(message_id__in=bounce.message_ids).select_related("supporter")
    for delivery in deliveries:
        address = (delivery.supporter.email or "").lower()
        for kind, addresses in ((AddressEvent.Kind.HARD, bounce.permanent), (AddressEvent.Kind.SOFT, bounce.temporary)):
            if address and address in addresses:
                new = address_event_record(
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
