"""Officials (positions held by people for dated terms), actions, letters and the messages they fan out to."""

from __future__ import annotations

from coalition.letters.models.actions import Action, ActionCount
from coalition.letters.models.letters import DailySlot, Letter, Message, MessageBand, Reply
from coalition.letters.models.officials import Person, Position, PositionBounce, Role, Term

__all__ = [
    "Action",
    "ActionCount",
    "DailySlot",
    "Letter",
    "Message",
    "MessageBand",
    "Person",
    "Position",
    "PositionBounce",
    "Reply",
    "Role",
    "Term",
]
