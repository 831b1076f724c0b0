"""The lobbying priority of a state's delegation at a treaty meeting, derived from its treaty status and the
commitments it made lately (decision 0701). Never typed: a delegation's day sheets all agree.

- a signatory is close to ratifying: high;
- a non-signatory that committed to something in the last year is moving: high; otherwise medium;
- a state party with an open or broken commitment of the last year has implementation to push: medium;
  otherwise low.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.states.models import TreatyStatus

# Commitments older than this no longer move a state's priority.
RECENT = timedelta(days=365)

OPEN = {"made", "in_progress"}


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


def state_priority(*, status: str, recent_commitments: Iterable[str]) -> Priority:
    """`recent_commitments`: the statuses of the commitments the state made in the last year."""
    statuses = set(recent_commitments)
    if status == TreatyStatus.SIGNATORY:
        return Priority.HIGH
    if status == TreatyStatus.NON_SIGNATORY:
        return Priority.HIGH if statuses & (OPEN | {"kept"}) else Priority.MEDIUM
    return Priority.MEDIUM if statuses & (OPEN | {"broken"}) else Priority.LOW
