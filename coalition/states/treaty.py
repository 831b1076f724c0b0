"""The treaty's own rules, framework-free: entry into force (Article 17) and status from dated events.

The dates are the Convention on Cluster Munitions'; another treaty would pass its own `Treaty`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Treaty:
    opened_for_signature: date
    # Article 17(1): in force on this date for the states that deposited the first instruments...
    entered_into_force: date
    # ...that is, on or before the day the thirtieth instrument was deposited.
    threshold_instrument_deposited: date
    # Article 17(2): for later instruments, the first day of the Nth month after the month of deposit.
    months_after_deposit: int = 6


CCM = Treaty(
    opened_for_signature=date(2008, 12, 3),
    entered_into_force=date(2010, 8, 1),
    threshold_instrument_deposited=date(2010, 2, 16),
)


def entry_into_force_for(deposited: date, treaty: Treaty = CCM) -> date:
    """The date the treaty enters into force for a state that deposited its instrument on `deposited`."""
    if deposited <= treaty.threshold_instrument_deposited:
        return treaty.entered_into_force
    months = deposited.year * 12 + (deposited.month - 1) + treaty.months_after_deposit
    return date(months // 12, months % 12 + 1, 1)


# Kinds of dated event, as stored in TreatyEvent.kind; kept here so the rules need no Django.
SIGNATURE = "signature"
RATIFICATION = "ratification"
ACCESSION = "accession"
ENTRY_INTO_FORCE = "entry_into_force"
WITHDRAWAL_EFFECTIVE = "withdrawal_effective"

STATE_PARTY = "state_party"
SIGNATORY = "signatory"
NON_SIGNATORY = "non_signatory"


@dataclass(frozen=True)
class StatusEvent:
    kind: str
    date: date
    derived: bool = False


@dataclass(frozen=True)
class DerivedStatus:
    status: str
    signed: date | None = None
    ratified: date | None = None  # date the instrument of ratification or accession was deposited
    method: str = ""  # "ratification" or "accession"
    entry_into_force: date | None = None
    entry_into_force_derived: bool = False
    withdrawn: date | None = None  # the last withdrawal that took effect, if any


def derive_status(events: Iterable[StatusEvent], on: date) -> DerivedStatus:
    """Walk a state's events up to `on` in date order; a withdrawal that took effect wipes the slate clean."""
    signed = ratified = eif = withdrawn = None
    method = ""
    eif_derived = False
    order = {SIGNATURE: 0, RATIFICATION: 1, ACCESSION: 1, ENTRY_INTO_FORCE: 2, WITHDRAWAL_EFFECTIVE: 3}
    for event in sorted(events, key=lambda e: (e.date, order.get(e.kind, 9))):
        # The entry-into-force date is known from the deposit on, even while it lies ahead.
        if event.date > on and event.kind != ENTRY_INTO_FORCE:
            continue
        if event.kind == SIGNATURE:
            signed = event.date
        elif event.kind in (RATIFICATION, ACCESSION):
            ratified, method = event.date, event.kind
        elif event.kind == ENTRY_INTO_FORCE and ratified is not None:
            eif, eif_derived = event.date, event.derived
        elif event.kind == WITHDRAWAL_EFFECTIVE:
            signed = ratified = eif = None
            method, eif_derived, withdrawn = "", False, event.date
    if ratified is not None:
        status = STATE_PARTY
    elif signed is not None:
        status = SIGNATORY
    else:
        status = NON_SIGNATORY
    return DerivedStatus(status, signed, ratified, method, eif, eif_derived, withdrawn)
