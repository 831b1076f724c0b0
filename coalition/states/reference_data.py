"""The states, their treaty events, contamination facts and meetings that ship with the product.

Run by `manage.py load_reference_data` (so by every `make run`): a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coalition.core.audit import Actor
from coalition.states import imports
from coalition.states.reference_updates import reference_update

# "Status as of 2025-09-05" in data/SOURCES.md: the date the shipped files are current.
AS_OF = date(2025, 9, 5)
SOURCE = "coalition/states/data (SOURCES.md)"


def load(*, log: Callable[[str], None]) -> str:
    log(f"reading the reference files in {imports.DATA_DIR}")
    data = imports.read_shipped(as_of=AS_OF)
    log(f"checked {len(data.states)} states, {len(data.facts)} facts and {len(data.meetings)} meetings")
    plan = reference_update(data=data, as_of=AS_OF, source=SOURCE, apply=True, by=Actor.SYSTEM)
    return plan.summary() if plan.changes else "already up to date"
