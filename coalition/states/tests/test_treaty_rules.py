from __future__ import annotations

from datetime import date

from coalition.states import treaty
from coalition.states.treaty import StatusEvent, derive_status, entry_into_force_for


def test_the_first_thirty_instruments_enter_into_force_on_1_august_2010():
    assert entry_into_force_for(date(2008, 12, 3)) == date(2010, 8, 1)
    assert entry_into_force_for(date(2010, 2, 16)) == date(2010, 8, 1)


def test_a_later_instrument_enters_into_force_on_the_first_day_of_the_sixth_month_after_deposit():
    assert entry_into_force_for(date(2010, 2, 17)) == date(2010, 8, 1)
    assert entry_into_force_for(date(2015, 8, 31)) == date(2016, 2, 1)
    assert entry_into_force_for(date(2012, 12, 10)) == date(2013, 6, 1)
    assert entry_into_force_for(date(2025, 9, 5)) == date(2026, 3, 1)


def test_a_signature_alone_makes_a_signatory():
    derived = derive_status([StatusEvent(treaty.SIGNATURE, date(2008, 12, 3))], on=date(2025, 1, 1))
    assert derived.status == treaty.SIGNATORY
    assert derived.signed == date(2008, 12, 3)


def test_a_deposit_makes_a_state_party_and_carries_its_entry_into_force_even_before_it_arrives():
    events = [
        StatusEvent(treaty.ACCESSION, date(2025, 9, 5)),
        StatusEvent(treaty.ENTRY_INTO_FORCE, date(2026, 3, 1), derived=True),
    ]
    derived = derive_status(events, on=date(2025, 9, 10))
    assert derived.status == treaty.STATE_PARTY
    assert derived.method == treaty.ACCESSION
    assert derived.entry_into_force == date(2026, 3, 1)
    assert derived.entry_into_force_derived


def test_events_after_the_date_asked_do_not_count():
    events = [StatusEvent(treaty.SIGNATURE, date(2008, 12, 3)), StatusEvent(treaty.RATIFICATION, date(2011, 5, 24))]
    assert derive_status(events, on=date(2010, 1, 1)).status == treaty.SIGNATORY
    assert derive_status(events, on=date(2011, 5, 24)).status == treaty.STATE_PARTY


def test_a_withdrawal_that_took_effect_makes_a_state_party_a_non_signatory_again():
    events = [
        StatusEvent(treaty.SIGNATURE, date(2008, 12, 3)),
        StatusEvent(treaty.RATIFICATION, date(2011, 3, 24)),
        StatusEvent(treaty.WITHDRAWAL_EFFECTIVE, date(2025, 3, 6)),
    ]
    assert derive_status(events, on=date(2025, 3, 5)).status == treaty.STATE_PARTY
    after = derive_status(events, on=date(2025, 3, 6))
    assert after.status == treaty.NON_SIGNATORY
    assert after.withdrawn == date(2025, 3, 6)
    assert after.signed is None and after.ratified is None
