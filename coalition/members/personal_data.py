"""What members holds on a person: the supporter row, their consent records and sign-up submissions. A guest
who only replied to an event has none of these (`subject.supporter` is None).

Part of the `personal_data` convention (coalition/core/discovery.py): members' own export and erasure call it
with every other app's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.core.personal_data import DataSubject
from coalition.members import selectors
from coalition.members.supporters import supporter_forget


def export(subject: DataSubject) -> dict[str, Any]:
    if subject.supporter is None:
        return {"email": subject.email}
    return selectors.supporter_details_export(subject.supporter)


def erase(subject: DataSubject, now: datetime) -> None:
    if subject.supporter is not None:
        supporter_forget(supporter=subject.supporter, now=now)
