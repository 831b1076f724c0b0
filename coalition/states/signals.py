"""What other apps may hear from states without states knowing them (states sits below letters and the rest)."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class StatusChange:
    iso3: str
    before: str
    after: str


# Sent inside the transaction that changed the treaty columns, with `changes=[StatusChange, …]`, so a receiver's
# writes commit or roll back with the change itself.
treaty_status_changed = Signal()
