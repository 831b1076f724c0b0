"""Bounces of letters to officials (found by `core.services.bounce_process`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coalition.core.services import BOUNCED
from coalition.letters.delivery import counts_move, position_bounce_record
from coalition.letters.models import Message, Position, PositionBounce
from coalition.lib.bounces import Bounce, BounceMatch


def bounce_handle(bounce: Bounce) -> list[BounceMatch]:
    return message_bounce_record(bounce=bounce)


def message_bounce_record(*, bounce: Bounce) -> list[BounceMatch]:
    """A bounce that came back after the mail server took the message: the message failed after all.

    Matched by the original Message-ID (fixed when the message was written); a bounce without one is
    matched by the failing address to the officials who hold it now. Recorded against the position, never
    against the writer; the counters go back down, so they still count what was delivered. Reading the
    same bounce twice records it once.
    """
    if not bounce.permanent:
        return []
    matches = []
    messages = list(Message.objects.filter(message_id__in=bounce.message_ids).select_related("position"))
    for message in messages:
        with transaction.atomic():
            failed = Message.objects.filter(pk=message.pk, status=Message.Status.SENT).update(
                status=Message.Status.FAILED, last_error=f"{BOUNCED}{bounce.reason}"[:2000]
            )
            if failed:
                counts_move(message, sent=-1)
            new = not PositionBounce.objects.filter(message=message).exists()
            if new:
                position_bounce_record(
                    position=message.position, email=message.recipient_email, reason=bounce.reason, message=message
                )
        matches.append(BounceMatch(f"message {message.pk} to {message.position.title}", new=new))
    if messages or bounce.message_ids:
        # A bounce of one of our other e-mails (a writer's confirmation…) is not about an official's address.
        return matches
    since = timezone.now() - timedelta(days=1)
    positions = Position.objects.annotate(address=Lower("current_term__email")).filter(address__in=bounce.permanent)
    for position in positions:
        address = position.address
        with transaction.atomic():
            new = not PositionBounce.objects.filter(
                position=position, email__iexact=address, reason=bounce.reason, recorded_at__gte=since
            ).exists()
            if new:
                position_bounce_record(position=position, email=address, reason=bounce.reason)
        matches.append(BounceMatch(f"{address}, the address of {position.title}", new=new))
    return matches
