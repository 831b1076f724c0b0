"""Staff record reports, completions and extensions; the statuses on the state follow, and bad records are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition.core.audit import Actor
from coalition.core.models import AuditEntry
from coalition.states import obligations as ob
from coalition.states import selectors, services
from coalition.states.models import NationalMeasure, ObligationRecord, StateFact
from coalition.states.tests.factories import NationalMeasureFactory, StateFactFactory, signatory, state_party

pytestmark = pytest.mark.django_db


def statuses(state, today=date(2025, 1, 1)):
    return {item.article: item for item in selectors.state_obligations(state, today=today).items}


def extension_add(state, article, *, granted, until, source="x"):
    return services.obligation_record_add(
        state=state,
        kind=ob.EXTENSION_GRANTED,
        date=granted,
        article=article,
        new_deadline=until,
        source=source,
        by=Actor.SYSTEM,
    )


def test_a_recorded_initial_report_makes_the_obligation_met_and_is_audited():
    state = state_party("NOR", ratified=date(2008, 12, 3))
    assert state.entry_into_force == date(2010, 8, 1)
    assert statuses(state)[ob.INITIAL_REPORT].status == ob.OVERDUE
    services.obligation_record_add(
        state=state, kind=ob.INITIAL_REPORT_RECEIVED, date=date(2011, 1, 20), source="UNODA", by=Actor.SYSTEM
    )
    item = statuses(state)[ob.INITIAL_REPORT]
    assert (item.status, item.met_on, item.source) == (ob.MET, date(2011, 1, 20), "UNODA")
    assert AuditEntry.objects.filter(action="state.obligation_record").count() == 1


def test_stockpile_facts_bring_article_3_and_a_completed_destruction_measure_meets_it():
    state = state_party("NOR", ratified=date(2008, 12, 3))
    StateFactFactory(state=state, kind=StateFact.Kind.STOCKPILER, value=StateFact.Value.FORMER)
    assert statuses(state)[ob.STOCKPILE_DESTRUCTION].status == ob.OVERDUE
    NationalMeasureFactory(
        state=state, status=NationalMeasure.Status.COMPLETED, completed=date(2010, 7, 16), source="Norwegian MoD"
    )
    item = statuses(state)[ob.STOCKPILE_DESTRUCTION]
    assert (item.status, item.met_on, item.source) == (ob.MET, date(2010, 7, 16), "Norwegian MoD")


def test_an_extension_granted_shows_the_new_deadline():
    state = state_party("LAO", ratified=date(2009, 3, 18))
    StateFactFactory(state=state, kind=StateFact.Kind.AFFECTED)
    extension_add(state, ob.CLEARANCE, granted=date(2019, 11, 25), until=date(2025, 8, 1), source="9MSP final report")
    item = statuses(state, today=date(2022, 1, 1))[ob.CLEARANCE]
    assert (item.status, item.due, item.original_due) == (ob.EXTENDED, date(2025, 8, 1), date(2020, 8, 1))


def test_a_report_dated_in_the_future_is_refused_with_a_message_and_nothing_is_saved():
    state = state_party("NOR", ratified=date(2008, 12, 3))
    with pytest.raises(ValidationError) as error:
        services.obligation_record_add(
            state=state,
            kind=ob.INITIAL_REPORT_RECEIVED,
            date=timezone.localdate() + timedelta(days=1),
            source="x",
            by=Actor.SYSTEM,
        )
    assert "in the future" in str(error.value.message_dict["date"])
    assert not ObligationRecord.objects.exists()


def test_an_extension_before_the_original_deadline_is_refused_with_the_original_date():
    state = state_party("NOR", ratified=date(2008, 12, 3))
    with pytest.raises(ValidationError) as error:
        extension_add(state, ob.STOCKPILE_DESTRUCTION, granted=date(2017, 9, 1), until=date(2018, 1, 1))
    message = " ".join(error.value.message_dict["new_deadline"])
    assert "must come after the original one" in message and "2018-08-01" in message
    assert not ObligationRecord.objects.exists()


def test_a_state_with_no_entry_into_force_has_no_deadline_and_no_record_can_be_added():
    state = signatory("IDN")
    result = selectors.state_obligations(state).result
    assert result.items == [] and result.reason == ob.NOT_A_PARTY
    with pytest.raises(ValidationError) as error:
        services.obligation_record_add(
            state=state, kind=ob.INITIAL_REPORT_RECEIVED, date=date(2020, 1, 1), source="x", by=Actor.SYSTEM
        )
    assert "no entry-into-force date" in str(error.value)


def test_the_table_filters_overdue_due_this_year_and_by_article():
    norway = state_party("NOR", ratified=date(2008, 12, 3))
    services.obligation_record_add(
        state=norway, kind=ob.INITIAL_REPORT_RECEIVED, date=date(2011, 1, 20), source="UNODA", by=Actor.SYSTEM
    )
    state_party("PLW", signed=None, ratified=date(2016, 4, 19))  # initial report due 27 April 2017 (EIF 1 Oct 2016)
    table = selectors.obligation_table(status=ob.OVERDUE, article=ob.INITIAL_REPORT, today=date(2017, 5, 1))
    assert [row.state.iso3 for row in table.rows] == ["PLW"]
    table = selectors.obligation_table(due_this_year=True, today=date(2017, 1, 1))
    assert {(row.state.iso3, row.obligation.article) for row in table.rows} >= {("PLW", ob.INITIAL_REPORT)}
    assert all(row.obligation.due.year == 2017 for row in table.rows)


def test_campaigners_record_an_extension_in_the_admin_and_a_bad_one_is_refused_with_the_reason(client, carol):
    state_party("NOR", ratified=date(2008, 12, 3))
    client.force_login(carol)
    form = {
        "state": "NOR",
        "kind": ob.EXTENSION_GRANTED,
        "date": "2017-09-01",
        "article": ob.STOCKPILE_DESTRUCTION,
        "new_deadline": "2018-01-01",
        "source": "7MSP final report",
        "note": "",
        "period": "",
    }
    response = client.post("/admin/states/obligationrecord/add/", form)
    assert response.status_code == 200 and "must come after the original one" in response.content.decode()
    assert not ObligationRecord.objects.exists()
    response = client.post("/admin/states/obligationrecord/add/", form | {"new_deadline": "2020-08-01"})
    assert response.status_code == 302
    record = ObligationRecord.objects.get()
    assert record.new_deadline == date(2020, 8, 1)
    assert AuditEntry.objects.filter(action="state.obligation_record").exists()
