"""Worked examples of the Convention's deadlines and of the statuses derived from dated records."""

from __future__ import annotations

from datetime import date

from coalition.states import obligations as ob
from coalition.states.obligations import Record

EIF = date(2010, 8, 1)


def derive(records=(), *, today, held=False, contaminated=False, eif=EIF, party=True):
    result = ob.derive(
        is_party=party,
        entry_into_force=eif,
        records=list(records),
        held_stockpiles=held,
        contaminated=contaminated,
        today=today,
    )
    return result, {item.article: item for item in result.items}


def test_a_state_in_force_on_1_august_2010_owed_its_initial_report_by_28_january_2011():
    assert ob.initial_report_due(EIF) == date(2011, 1, 28)
    _, items = derive(today=date(2011, 1, 28))
    assert items[ob.INITIAL_REPORT].due == date(2011, 1, 28)
    assert items[ob.INITIAL_REPORT].status == ob.DUE_SOON
    _, items = derive(today=date(2011, 1, 29))
    assert items[ob.INITIAL_REPORT].status == ob.OVERDUE


def test_stockpile_destruction_was_due_on_1_august_2018_and_clearance_on_1_august_2020():
    assert ob.stockpile_destruction_due(EIF) == date(2018, 8, 1)
    assert ob.clearance_due(EIF) == date(2020, 8, 1)
    _, items = derive(today=date(2015, 1, 1), held=True, contaminated=True)
    assert items[ob.STOCKPILE_DESTRUCTION].due == date(2018, 8, 1)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.PENDING
    assert items[ob.CLEARANCE].due == date(2020, 8, 1)


def test_a_29_february_entry_into_force_gives_28_february_deadlines():
    assert ob.stockpile_destruction_due(date(2012, 2, 29)) == date(2020, 2, 29)
    assert ob.clearance_due(date(2012, 2, 29)) == date(2022, 2, 28)


def test_articles_3_and_4_apply_only_where_the_state_held_stockpiles_or_had_contaminated_areas():
    _, items = derive(today=date(2025, 1, 1))
    assert set(items) == {ob.INITIAL_REPORT, ob.ANNUAL_REPORT, ob.NATIONAL_MEASURES}


def test_a_report_received_makes_the_initial_report_met_with_its_date_and_source():
    received = Record(ob.INITIAL_REPORT_RECEIVED, date(2011, 1, 20), "UNODA CCM transparency reports")
    _, items = derive([received], today=date(2012, 1, 1))
    item = items[ob.INITIAL_REPORT]
    assert (item.status, item.met_on, item.source) == (ob.MET, date(2011, 1, 20), "UNODA CCM transparency reports")


def test_a_late_destruction_is_still_met_and_a_destruction_before_entry_into_force_counts():
    done = Record(ob.STOCKPILE_DESTROYED, date(2009, 11, 30), "Monitor")
    _, items = derive([done], today=date(2025, 1, 1), held=True)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.MET
    assert items[ob.STOCKPILE_DESTRUCTION].met_on == date(2009, 11, 30)


def test_no_destruction_on_record_after_the_deadline_is_overdue_and_90_days_before_it_is_due_soon():
    _, items = derive(today=date(2018, 8, 2), held=True)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.OVERDUE
    _, items = derive(today=date(2018, 5, 3), held=True)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.DUE_SOON
    _, items = derive(today=date(2018, 5, 2), held=True)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.PENDING


def test_an_extension_moves_the_deadline_and_shows_extended_until_it_nears():
    extension = Record(
        ob.EXTENSION_GRANTED, date(2019, 9, 5), "9MSP report", article=ob.CLEARANCE, new_deadline=date(2026, 8, 1)
    )
    _, items = derive([extension], today=date(2021, 1, 1), contaminated=True)
    item = items[ob.CLEARANCE]
    assert (item.status, item.due, item.original_due) == (ob.EXTENDED, date(2026, 8, 1), date(2020, 8, 1))
    assert item.extensions == (extension,)
    _, items = derive([extension], today=date(2026, 6, 1), contaminated=True)
    assert items[ob.CLEARANCE].status == ob.DUE_SOON
    _, items = derive([extension], today=date(2026, 8, 2), contaminated=True)
    assert items[ob.CLEARANCE].status == ob.OVERDUE
    # An extension of Article 4 does not move Article 3.
    _, items = derive([extension], today=date(2021, 1, 1), held=True, contaminated=True)
    assert items[ob.STOCKPILE_DESTRUCTION].status == ob.OVERDUE


def test_annual_reports_are_due_each_30_april_for_the_previous_year_and_a_missing_one_is_overdue():
    assert ob.first_annual_period(EIF) == 2010  # due 30 April 2011, after the initial report (28 January 2011)
    reports = [Record(ob.ANNUAL_REPORT_RECEIVED, date(y + 1, 4, 20), f"report {y}", period=y) for y in (2010, 2011)]
    _, items = derive(reports, today=date(2013, 5, 1))
    item = items[ob.ANNUAL_REPORT]
    assert (item.status, item.missing_periods, item.due) == (ob.OVERDUE, (2012,), date(2013, 4, 30))
    reports.append(Record(ob.ANNUAL_REPORT_RECEIVED, date(2013, 4, 29), "report 2012", period=2012))
    _, items = derive(reports, today=date(2013, 5, 1))
    item = items[ob.ANNUAL_REPORT]
    assert (item.status, item.met_on, item.due) == (ob.MET, date(2013, 4, 29), date(2014, 4, 30))
    _, items = derive(reports, today=date(2014, 3, 1))
    assert items[ob.ANNUAL_REPORT].status == ob.DUE_SOON


def test_a_state_whose_initial_report_falls_after_30_april_first_reports_annually_the_year_after():
    eif = date(2011, 3, 1)  # initial report due 28 August 2011
    assert ob.first_annual_period(eif) == 2011  # due 30 April 2012


def test_article_9_is_reported_or_not_without_a_deadline():
    _, items = derive(today=date(2025, 1, 1))
    assert (items[ob.NATIONAL_MEASURES].status, items[ob.NATIONAL_MEASURES].due) == (ob.PENDING, None)
    law = Record(ob.NATIONAL_MEASURES_REPORTED, date(2011, 1, 20), "Act No. 35 of 2009")
    _, items = derive([law], today=date(2025, 1, 1))
    assert items[ob.NATIONAL_MEASURES].status == ob.MET


def test_no_entry_into_force_date_means_no_deadline_and_says_why():
    result, items = derive(today=date(2025, 1, 1), eif=None)
    assert items == {} and result.reason == ob.NO_ENTRY_INTO_FORCE
    result, items = derive(today=date(2025, 1, 1), party=False)
    assert items == {} and result.reason == ob.NOT_A_PARTY


def test_checks_refuse_a_future_report_and_an_extension_before_the_original_deadline():
    today = date(2025, 1, 1)
    future = Record(ob.INITIAL_REPORT_RECEIVED, date(2025, 1, 2))
    assert ob.check_record(future, is_party=True, entry_into_force=EIF, today=today) == [("date", "future")]
    early = Record(
        ob.EXTENSION_GRANTED, date(2018, 1, 1), article=ob.STOCKPILE_DESTRUCTION, new_deadline=date(2018, 7, 1)
    )
    assert ob.check_record(early, is_party=True, entry_into_force=EIF, today=today) == [
        ("new_deadline", "before_original")
    ]
    fine = Record(
        ob.EXTENSION_GRANTED, date(2018, 1, 1), article=ob.STOCKPILE_DESTRUCTION, new_deadline=date(2022, 8, 1)
    )
    assert ob.check_record(fine, is_party=True, entry_into_force=EIF, today=today) == []
    assert ob.check_record(fine, is_party=True, entry_into_force=None, today=today) == [
        ("__all__", "no_entry_into_force")
    ]
