"""Bounces of the e-mails in core's queue: supporters' confirmations, reminders, newsletters' notices."""

from __future__ import annotations

from coalition.core import services
from coalition.lib.bounces import Bounce, BounceMatch


def bounce_handle(bounce: Bounce) -> list[BounceMatch]:
    return services.email_bounce_record(bounce=bounce)
