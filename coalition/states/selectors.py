"""Reads behind the states and meetings pages, the home panel and the API; each runs a fixed number of queries.

Public interface for other apps: `State` (primary key `iso3`), `states_with_status(status)`, `status_counts()`,
`state_by_iso3(iso3)` and `reference_as_of()`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.lib import maps
from coalition.states import charts, obligations, treaty
from coalition.states.models import (
    Meeting,
    NationalMeasure,
    ObligationRecord,
    Participation,
    ReferenceRelease,
    State,
    StateFact,
    Statement,
    TreatyEvent,
    TreatyStatus,
)


def states_with_status(status: str) -> QuerySet[State]:
    """States whose current treaty status is `status` (a `TreatyStatus` value), e.g. to target their officials."""
    return State.objects.filter(status=status)


def state_by_iso3(iso3: str) -> State:
    return get_object_or_404(State, iso3=iso3.upper())


def status_counts(states: list[State] | None = None) -> dict[str, int]:
    """{status: number of states} for every status (one query, or none when the states are at hand)."""
    counts = dict.fromkeys(TreatyStatus.values, 0)
    if states is None:
        for row in State.objects.values("status").annotate(n=Count("iso3")).order_by():
            counts[row["status"]] = row["n"]
    else:
        for state in states:
            counts[state.status] += 1
    return counts


def reference_as_of() -> date | None:
    """The date the loaded reference data is current, as public pages say."""
    release = ReferenceRelease.objects.order_by("-as_of", "-loaded_at").only("as_of").first()
    return release.as_of if release else None


# --- the progress chart -----------------------------------------------------------------------------------------

CHART_SERIES = {treaty.STATE_PARTY: _("States parties"), treaty.SIGNATORY: _("Signatories")}


def progress_points() -> list[tuple[date, dict[str, int]]]:
    """(date, {status: count}) at every date a count changed, from the dated events (one query)."""
    events: dict[str, list[treaty.StatusEvent]] = defaultdict(list)
    rows = TreatyEvent.objects.filter(superseded_by__isnull=True).values_list("state_id", "kind", "date")
    for iso3, kind, day in rows:
        events[iso3].append(treaty.StatusEvent(kind, day))
    deltas: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for state_events in events.values():
        previous = treaty.NON_SIGNATORY
        for day in sorted({e.date for e in state_events}):
            status = treaty.derive_status(state_events, on=day).status
            if status != previous:
                deltas[day][previous] -= 1
                deltas[day][status] += 1
                previous = status
    points, running = [], dict.fromkeys(CHART_SERIES, 0)
    for day in sorted(deltas):
        for key in running:
            running[key] += deltas[day].get(key, 0)
        points.append((day, dict(running)))
    return points


def progress_chart(*, end: date | None = None, width: int = 720, height: int = 300) -> charts.StepChart:
    points = progress_points()
    start = treaty.CCM.opened_for_signature.replace(day=1)
    end = max(end or timezone.localdate(), points[-1][0] if points else start)
    return charts.step_chart(points, labels=CHART_SERIES, start=start, end=end, width=width, height=height)


def states_map(states: list[State], *, matching: set[str] | None = None) -> maps.WorldMap:
    """Every state's shape coloured by its treaty status (small states get a dot too), linking to its profile;
    `matching` (alpha-2 codes) dims the others. Draws from the states already loaded: no query."""
    labels = dict(TreatyStatus.choices)
    regions, dots = maps.country_regions(
        [
            (str(s.country), f"{s.display_name}: {labels.get(s.status, s.status)}", s.status, s.get_absolute_url())
            for s in states
        ],
        matching=matching,
    )
    return maps.WorldMap(
        key="states",
        title=str(_("World map of the states, coloured by treaty status")),
        regions=regions,
        markers=dots,
        legend=[maps.LegendEntry(kind=str(value), label=str(label)) for value, label in TreatyStatus.choices],
        note=str(_("Select a state to open its profile; the table below lists every state.")),
    )


# --- pages ------------------------------------------------------------------------------------------------------


@dataclass
class StateList:
    states: list[State]
    matching: list[State]
    counts: dict[str, int]
    world_map: maps.WorldMap
    chart: charts.StepChart
    as_of: date | None


def state_list(*, status: str = "", region: str = "", fact: str = "") -> StateList:
    """Every state for the map and the counts, and those matching the filters for the table (four queries)."""
    states = sorted(State.objects.all(), key=lambda s: s.display_name)
    matching_iso3: set[str] | None = None
    if fact:
        # Any source ever saying yes (or "formerly") counts: the filter finds states with such a record.
        matching_iso3 = set(
            StateFact.objects.filter(kind=fact, value__in=[StateFact.Value.YES, StateFact.Value.FORMER]).values_list(
                "state_id", flat=True
            )
        )
    matching = [
        s
        for s in states
        if (not status or s.status == status)
        and (not region or s.region == region)
        and (matching_iso3 is None or s.iso3 in matching_iso3)
    ]
    filtered = bool(status or region or fact)
    world_map = states_map(states, matching={str(s.country) for s in matching} if filtered else None)
    return StateList(
        states=states,
        matching=matching,
        counts=status_counts(states),
        world_map=world_map,
        chart=progress_chart(),
        as_of=reference_as_of(),
    )


@dataclass
class StateProfile:
    state: State
    events: list[TreatyEvent]
    superseded: list[TreatyEvent]
    facts: list[StateFact]
    measures: list[NationalMeasure]
    participations: list[Participation]
    statements: list[Statement]
    as_of: date | None
    history_before_withdrawal_unknown: bool = False
    facts_by_kind: dict[str, list[StateFact]] = field(default_factory=dict)
    fact_groups: list[FactGroup] = field(default_factory=list)
    obligations: StateObligations | None = None


VALUE_RANK: dict[str, int] = {
    StateFact.Value.YES: 0,
    StateFact.Value.FORMER: 1,
    StateFact.Value.UNCLEAR: 2,
    StateFact.Value.NO: 3,
}


@dataclass
class FactGroup:
    """One line per kind of fact: the value the latest sources give, then every source behind it."""

    kind: str
    label: str
    value: str
    value_label: str
    facts: list[StateFact]


def fact_groups(facts: list[StateFact]) -> list[FactGroup]:
    by_kind: dict[str, list[StateFact]] = defaultdict(list)
    for fact in facts:
        by_kind[fact.kind].append(fact)
    groups = []
    for kind, label in StateFact.Kind.choices:
        items = sorted(by_kind.get(kind, []), key=lambda f: f.as_of, reverse=True)
        if not items:
            continue
        latest = [f for f in items if f.as_of == items[0].as_of]
        lead = min(latest, key=lambda f: VALUE_RANK.get(f.value, 9))
        groups.append(FactGroup(kind, str(label), lead.value, lead.get_value_display(), items))
    return groups


def state_profile(iso3: str, *, today: date | None = None) -> StateProfile:
    """A state with its events (and the corrected ones), facts, measures, meetings and obligations (eight queries)."""
    state = state_by_iso3(iso3)
    all_events = list(state.events.all())
    events = [e for e in all_events if e.superseded_by_id is None]
    facts = list(state.facts.all())
    facts_by_kind: dict[str, list[StateFact]] = defaultdict(list)
    for fact in facts:
        facts_by_kind[fact.kind].append(fact)
    withdrawals = [e for e in events if e.kind == TreatyEvent.Kind.WITHDRAWAL_EFFECTIVE]
    # A withdrawal with no signature or ratification recorded before it: the page says those dates are missing.
    unknown = bool(withdrawals) and not any(
        e.date < withdrawals[0].date and e.kind in (treaty.SIGNATURE, treaty.RATIFICATION, treaty.ACCESSION)
        for e in events
    )
    measures = list(state.measures.all())
    records = [r.as_record() for r in state.obligation_records.all()] if state.status == treaty.STATE_PARTY else []
    state_obligations = _derive(
        state,
        records=records,
        facts=[(f.kind, f.value) for f in facts],
        measures=[(m.kind, m.status, m.completed, m.started, m.completed_year_only, m.source) for m in measures],
        today=today or timezone.localdate(),
    )
    return StateProfile(
        state=state,
        events=events,
        superseded=[e for e in all_events if e.superseded_by_id is not None],
        facts=facts,
        fact_groups=fact_groups(facts),
        obligations=state_obligations,
        measures=measures,
        participations=list(state.participations.select_related("meeting").order_by("meeting__start")),
        statements=list(state.statements.select_related("meeting")),
        as_of=reference_as_of(),
        history_before_withdrawal_unknown=unknown,
        facts_by_kind=dict(facts_by_kind),
    )


def measure_history(measure: NationalMeasure) -> list:
    return list(measure.changes.all())


@dataclass
class HomePanel:
    counts: dict[str, int]
    chart: charts.StepChart
    as_of: date | None
    total: int


def home_panel() -> HomePanel:
    """Live counts and the progress chart for the home page (three queries)."""
    counts = status_counts()
    return HomePanel(
        counts=counts, chart=progress_chart(width=640, height=260), as_of=reference_as_of(), total=sum(counts.values())
    )


# --- meetings ---------------------------------------------------------------------------------------------------


def meeting_list() -> list[Meeting]:
    return list(
        Meeting.objects.select_related("country").annotate(
            n_participants=Count(
                "participations", filter=Q(participations__role=Participation.Role.PARTICIPANT), distinct=True
            ),
            n_observers=Count(
                "participations", filter=Q(participations__role=Participation.Role.OBSERVER), distinct=True
            ),
            n_statements=Count("statements", distinct=True),
        )
    )


def meeting_detail(slug: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("country").prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("state")),
            Prefetch("statements", queryset=Statement.objects.select_related("state")),
            "outcome_documents",
        ),
        slug=slug,
    )


# --- treaty obligations -----------------------------------------------------------------------------------------

STOCKPILE_FACT_VALUES = [StateFact.Value.YES, StateFact.Value.FORMER]


@dataclass
class StateObligations:
    state: State
    result: obligations.Obligations

    @property
    def items(self) -> list[obligations.Obligation]:
        return self.result.items


def _derive(
    state: State,
    *,
    records: list[obligations.Record],
    facts: list[tuple[str, str]],
    measures: list[tuple[str, str, date | None, date | None, bool, str]],
    today: date,
) -> StateObligations:
    """One state's obligations from its records, (kind, value) facts and measure rows, without a query."""
    records = list(records)
    held = any(k == StateFact.Kind.STOCKPILER and v in STOCKPILE_FACT_VALUES for k, v in facts)
    contaminated = any(k == StateFact.Kind.AFFECTED and v == StateFact.Value.YES for k, v in facts)
    for kind, status, completed, started, year_only, source in measures:
        if (
            kind == NationalMeasure.Kind.STOCKPILE_DESTRUCTION
            and status == NationalMeasure.Status.COMPLETED
            and completed
        ):
            records.append(obligations.Record(obligations.STOCKPILE_DESTROYED, completed, source, year_only=year_only))
        elif kind == NationalMeasure.Kind.LEGISLATION and status == NationalMeasure.Status.IN_FORCE and started:
            records.append(obligations.Record(obligations.NATIONAL_MEASURES_REPORTED, started, source))
    result = obligations.derive(
        is_party=state.status == treaty.STATE_PARTY,
        entry_into_force=state.entry_into_force,
        records=records,
        held_stockpiles=held,
        contaminated=contaminated,
        today=today,
    )
    return StateObligations(state, result)


def obligations_for(states: list[State], *, today: date | None = None) -> list[StateObligations]:
    """Each state's obligations, derived from its records, facts and measures (three queries whatever the number)."""
    today = today or timezone.localdate()
    iso3s = [s.iso3 for s in states if s.status == treaty.STATE_PARTY]
    records: dict[str, list[obligations.Record]] = defaultdict(list)
    for record in ObligationRecord.objects.filter(state_id__in=iso3s):
        records[record.state_id].append(record.as_record())
    facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    fact_rows = StateFact.objects.filter(
        state_id__in=iso3s, kind__in=[StateFact.Kind.STOCKPILER, StateFact.Kind.AFFECTED]
    ).values_list("state_id", "kind", "value")
    for iso3, kind, value in fact_rows:
        facts[iso3].append((kind, value))
    measures: dict[str, list] = defaultdict(list)
    measure_rows = NationalMeasure.objects.filter(
        state_id__in=iso3s, kind__in=[NationalMeasure.Kind.STOCKPILE_DESTRUCTION, NationalMeasure.Kind.LEGISLATION]
    ).values_list("state_id", "kind", "status", "completed", "started", "completed_year_only", "source")
    for iso3, *row in measure_rows:
        measures[iso3].append(tuple(row))
    return [
        _derive(
            state,
            records=records.get(state.iso3, []),
            facts=facts.get(state.iso3, []),
            measures=measures.get(state.iso3, []),
            today=today,
        )
        for state in states
    ]


def state_obligations(state: State, *, today: date | None = None) -> StateObligations:
    return obligations_for([state], today=today)[0]


@dataclass
class ObligationRow:
    state: State
    obligation: obligations.Obligation


@dataclass
class ObligationTable:
    rows: list[ObligationRow]
    counts: dict[str, int]  # {status: number of obligations} before filtering
    today: date
    as_of: date | None


def obligation_table(
    *, status: str = "", article: str = "", due_this_year: bool = False, today: date | None = None
) -> ObligationTable:
    """Every state party's obligations as rows, filtered (five queries)."""
    today = today or timezone.localdate()
    parties = sorted(State.objects.filter(status=treaty.STATE_PARTY), key=lambda s: s.display_name)
    rows, counts = [], dict.fromkeys(obligations.STATUSES, 0)
    for entry in obligations_for(parties, today=today):
        for item in entry.items:
            counts[item.status] += 1
            if status and item.status != status:
                continue
            if article and item.article != article:
                continue
            if due_this_year and (item.status == obligations.MET or item.due is None or item.due.year != today.year):
                continue
            rows.append(ObligationRow(entry.state, item))
    return ObligationTable(rows=rows, counts=counts, today=today, as_of=reference_as_of())
