"""A mail provider's webhook (bounces, complaints) through django-anymail's tracking signal.

Whichever provider a deployment wires (anymail's webhook URLs for it in its own urlconf), its events arrive
here: a bounce or a rejection counts as a hard bounce, a deferral as a soft one, a complaint as a complaint.
"""

from __future__ import annotations

from typing import Any

from anymail.signals import tracking
from django.dispatch import receiver

from coalition.mailings import bounces
from coalition.mailings.models import AddressEvent

KINDS = {
    "bounced": AddressEvent.Kind.HARD,
    "rejected": AddressEvent.Kind.HARD,
    "deferred": AddressEvent.Kind.SOFT,
    "complained": AddressEvent.Kind.COMPLAINT,
}


@receiver(tracking, dispatch_uid="coalition.mailings.tracking")
def provider_event(sender: Any, event: Any, esp_name: str = "", **kwargs: Any) -> None:
    kind = KINDS.get(str(getattr(event, "event_type", "")))
    if kind is None or not getattr(event, "recipient", None):
        return
    message_id = str(getattr(event, "message_id", "") or "")
    bounces.address_event_record(
        email=str(event.recipient),
        kind=kind,
        reason=str(getattr(event, "description", "") or getattr(event, "mta_response", "") or event.event_type),
        source=f"webhook:{esp_name}"[:50],
        message_id=message_id if message_id.startswith("<") else "",
    )
