"""The Convention's deadlines for one state party, and their status, from dated records; framework-free.

Nothing here is typed by a person: each deadline follows from the entry-into-force date (Article 17) and the
state's recorded facts, and each status from dated records staff enter (a report received, stockpile destruction
completed, an extension granted). Worked examples are in `tests/test_obligations.py`; the choices made where the
Convention leaves room are in docs/decisions/0201-treaty-obligations.md.

| article | what | deadline |
| --- | --- | --- |
| 7(1) | initial transparency report | 180 days after entry into force |
| 7(2) | annual transparency report (covering the previous calendar year) | 30 April each year |
| 3(2) | destroy stockpiles, where the state held any | 8 years after entry into force; Art 3(5) extends |
| 4(1) | clear contaminated areas, where the state had any | 10 years after entry into force; Art 4(5) extends |
| 9 | national implementation measures (legislation) | no date: reported or not |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

Day = date  # a field below is named `date`

# The articles, as stored and as used in filters (`?article=7.1`).
INITIAL_REPORT = "7.1"
ANNUAL_REPORT = "7.2"
STOCKPILE_DESTRUCTION = "3.2"
CLEARANCE = "4.1"
NATIONAL_MEASURES = "9"
ARTICLES = [INITIAL_REPORT, ANNUAL_REPORT, STOCKPILE_DESTRUCTION, CLEARANCE, NATIONAL_MEASURES]

# Statuses, derived, never typed.
MET = "met"
PENDING = "pending"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
EXTENDED = "extended"
STATUSES = [MET, PENDING, DUE_SOON, OVERDUE, EXTENDED]

# Kinds of record staff enter (ObligationRecord.kind).
INITIAL_REPORT_RECEIVED = "initial_report_received"
ANNUAL_REPORT_RECEIVED = "annual_report_received"
STOCKPILE_DESTROYED = "stockpile_destruction_completed"
CLEARANCE_COMPLETED = "clearance_completed"
EXTENSION_GRANTED = "extension_granted"
NATIONAL_MEASURES_REPORTED = "national_measures_reported"

INITIAL_REPORT_DAYS = 180
STOCKPILE_YEARS = 8
CLEARANCE_YEARS = 10
ANNUAL_REPORT_DAY = (4, 30)
DUE_SOON_DAYS = 90


@dataclass(frozen=True)
class Record:
    """A dated record: what happened, when, where it is written (and for extensions, the new date)."""

    kind: str
    date: Day
    source: str = ""
    article: str = ""  # for an extension: STOCKPILE_DESTRUCTION or CLEARANCE
    new_deadline: Day | None = None  # for an extension
    period: int | None = None  # for an annual report: the calendar year it covers
    year_only: bool = False  # the source gives only the year (the date is 31 December of it)


@dataclass(frozen=True)
class Obligation:
    article: str
    status: str
    due: date | None  # the deadline now in force (after any extension); None for Article 9
    original_due: date | None = None
    met_on: date | None = None
    met_year_only: bool = False
    source: str = ""
    # For Article 7(2): the calendar years whose report is missing though due.
    missing_periods: tuple[int, ...] = ()
    extensions: tuple[Record, ...] = ()


@dataclass(frozen=True)
class Obligations:
    items: list[Obligation] = field(default_factory=list)
    # Why there is no deadline at all (not a state party, no entry-into-force date), else "".
    reason: str = ""


NOT_A_PARTY = "not_a_party"
NO_ENTRY_INTO_FORCE = "no_entry_into_force"


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def initial_report_due(entry_into_force: date) -> date:
    return entry_into_force + timedelta(days=INITIAL_REPORT_DAYS)


def stockpile_destruction_due(entry_into_force: date) -> date:
    return add_years(entry_into_force, STOCKPILE_YEARS)


def clearance_due(entry_into_force: date) -> date:
    return add_years(entry_into_force, CLEARANCE_YEARS)


def annual_report_due(period: int) -> date:
    """The annual report covering calendar year `period` is due on 30 April of the next year."""
    return date(period + 1, *ANNUAL_REPORT_DAY)


def first_annual_period(entry_into_force: date) -> int:
    """The first annual report is the first one due (30 April) after the initial report was due."""
    initial = initial_report_due(entry_into_force)
    first_due_year = initial.year if (initial.month, initial.day) < ANNUAL_REPORT_DAY else initial.year + 1
    return first_due_year - 1


def _timed(due: date, today: date) -> str:
    if today > due:
        return OVERDUE
    if (due - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return PENDING


def _latest(records: list[Record]) -> Record | None:
    return max(records, key=lambda r: r.date) if records else None


def _with_extensions(
    article: str, original: date, records: list[Record], met: Record | None, today: date
) -> Obligation:
    extensions = tuple(
        sorted(
            (r for r in records if r.kind == EXTENSION_GRANTED and r.article == article and r.new_deadline),
            key=lambda r: r.date,
        )
    )
    due = original
    for extension in extensions:
        if extension.new_deadline and extension.new_deadline > due:
            due = extension.new_deadline
    if met is not None:
        return Obligation(article, MET, due, original, met.date, met.year_only, met.source, extensions=extensions)
    status = _timed(due, today)
    if extensions and due > original and status == PENDING:
        status = EXTENDED
    return Obligation(article, status, due, original, extensions=extensions)


def derive(
    *,
    is_party: bool,
    entry_into_force: date | None,
    records: Iterable[Record],
    held_stockpiles: bool,
    contaminated: bool,
    today: date,
) -> Obligations:
    """Every obligation of one state on `today`, in the order of the articles table above."""
    if not is_party:
        return Obligations(reason=NOT_A_PARTY)
    if entry_into_force is None:
        return Obligations(reason=NO_ENTRY_INTO_FORCE)
    records = sorted(records, key=lambda r: r.date)
    eif = entry_into_force
    by_kind: dict[str, list[Record]] = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    items: list[Obligation] = []

    # Article 7(1): the first report received is the initial report.
    initial = by_kind.get(INITIAL_REPORT_RECEIVED, [])
    due = initial_report_due(eif)
    if initial:
        items.append(Obligation(INITIAL_REPORT, MET, due, due, initial[0].date, source=initial[0].source))
    else:
        items.append(Obligation(INITIAL_REPORT, _timed(due, today), due, due))

    # Article 7(2): one row; overdue while any due report is missing, else met by the latest, or the next is close.
    received = {r.period: r for r in by_kind.get(ANNUAL_REPORT_RECEIVED, []) if r.period is not None}
    first = first_annual_period(eif)
    due_periods = [p for p in range(first, today.year) if annual_report_due(p) < today]
    missing = tuple(p for p in due_periods if p not in received)
    next_period = max([first, *[p + 1 for p in due_periods]])
    next_due = annual_report_due(next_period)
    if missing:
        items.append(
            Obligation(
                ANNUAL_REPORT,
                OVERDUE,
                annual_report_due(missing[0]),
                annual_report_due(missing[0]),
                missing_periods=missing,
            )
        )
    elif next_period in received:
        early = received[next_period]
        items.append(Obligation(ANNUAL_REPORT, MET, next_due, next_due, early.date, source=early.source))
    else:
        status = _timed(next_due, today)
        latest = received.get(due_periods[-1]) if due_periods else None
        if latest is not None and status == PENDING:
            items.append(Obligation(ANNUAL_REPORT, MET, next_due, next_due, latest.date, source=latest.source))
        else:
            items.append(Obligation(ANNUAL_REPORT, status, next_due, next_due))

    # Article 3(2): only where the state held stockpiles (or a destruction is on record).
    destroyed = _latest(by_kind.get(STOCKPILE_DESTROYED, []))
    if held_stockpiles or destroyed is not None:
        items.append(_with_extensions(STOCKPILE_DESTRUCTION, stockpile_destruction_due(eif), records, destroyed, today))

    # Article 4(1): only where the state had contaminated areas (or a clearance is on record).
    cleared = _latest(by_kind.get(CLEARANCE_COMPLETED, []))
    if contaminated or cleared is not None:
        items.append(_with_extensions(CLEARANCE, clearance_due(eif), records, cleared, today))

    # Article 9: no deadline; reported or not.
    reported = by_kind.get(NATIONAL_MEASURES_REPORTED, [])
    if reported:
        items.append(
            Obligation(NATIONAL_MEASURES, MET, None, None, reported[0].date, reported[0].year_only, reported[0].source)
        )
    else:
        items.append(Obligation(NATIONAL_MEASURES, PENDING, None))
    return Obligations(items=items)


# --- checks on a new record (the service and the admin form say these to the user) ------------------------------


def check_record(
    record: Record, *, is_party: bool, entry_into_force: date | None, today: date
) -> list[tuple[str, str]]:
    """(field, message) for each problem with a record about to be entered; empty when it may be saved."""
    problems: list[tuple[str, str]] = []
    if record.date > today:
        problems.append(("date", "future"))
    if not is_party or entry_into_force is None:
        problems.append(("__all__", "no_entry_into_force"))
        return problems
    if record.kind == ANNUAL_REPORT_RECEIVED:
        if record.period is None:
            problems.append(("period", "period_required"))
        elif record.period < first_annual_period(entry_into_force) or record.period >= today.year + 1:
            problems.append(("period", "period_out_of_range"))
    if record.kind == EXTENSION_GRANTED:
        if record.article not in (STOCKPILE_DESTRUCTION, CLEARANCE):
            problems.append(("article", "article_required"))
        elif record.new_deadline is None:
            problems.append(("new_deadline", "new_deadline_required"))
        else:
            original = (
                stockpile_destruction_due(entry_into_force)
                if record.article == STOCKPILE_DESTRUCTION
                else clearance_due(entry_into_force)
            )
            if record.new_deadline <= original:
                problems.append(("new_deadline", "before_original"))
    return problems
