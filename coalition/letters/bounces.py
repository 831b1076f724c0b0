"""Bounces of letters to officials (found by `core.services.bounce_process`)."""

from __future__ import annotations

from coalition.letters import services
from coalition.lib.bounces import Bounce, BounceMatch


def bounce_handle(bounce: Bounce) -> list[BounceMatch]:
    return services.message_bounce_record(bounce=bounce)
