"""Loading the reference data (treaty events, facts, stockpile destructions, meetings) into the database: what a
file would change (`ReferencePlan`), and applying it (`reference_update`). The rows are read and checked by
`imports.py`; nothing there writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_countries import countries

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.states import treaty
from coalition.states.imports import PlannedEvent, ReferenceData
from coalition.states.models import (
    Meeting,
    NationalMeasure,
    NationalMeasureChange,
    ReferenceRelease,
    State,
    StateFact,
    TreatyEvent,
)
from coalition.states.services import measure_created_changes, states_refresh_status


@dataclass
class ReferencePlan:
    """What loading a reference file would change; `lines` says it in words, one change per line."""

    lines: list[str] = field(default_factory=list)
    new_states: list[State] = field(default_factory=list)
    updated_states: list[State] = field(default_factory=list)
    new_events: list[PlannedEvent] = field(default_factory=list)
    # (event now current, planned replacement): the old event stays as history, superseded.
    changed_events: list[tuple[TreatyEvent, PlannedEvent]] = field(default_factory=list)
    kept_events: list[TreatyEvent] = field(default_factory=list)
    new_facts: list[StateFact] = field(default_factory=list)
    new_measures: list[NationalMeasure] = field(default_factory=list)
    new_meetings: list[Meeting] = field(default_factory=list)
    updated_meetings: list[Meeting] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            len(self.new_states)
            + len(self.updated_states)
            + len(self.new_events)
            + len(self.changed_events)
            + len(self.new_facts)
            + len(self.new_measures)
            + len(self.new_meetings)
            + len(self.updated_meetings)
        )

    def summary(self) -> str:
        return (
            f"{len(self.new_states)} new state(s), {len(self.updated_states)} state(s) renamed or regrouped, "
            f"{len(self.new_events)} new event(s), {len(self.changed_events)} changed date(s), "
            f"{len(self.new_facts)} new fact(s), {len(self.new_measures)} new measure(s), "
            f"{len(self.new_meetings)} new and {len(self.updated_meetings)} changed meeting(s)"
        )


def _values(row: Any, names: str) -> dict[str, Any]:
    """A checked row's values of these fields (space-separated), which the model names the same."""
    return {name: getattr(row, name) for name in names.split()}


def _group(kind: str) -> str:
    # A ratification later recorded as an accession (or the other way round) is the same deposit, corrected.
    return "deposit" if kind in (treaty.RATIFICATION, treaty.ACCESSION) else kind


def _plan_states(data: ReferenceData, plan: ReferencePlan) -> None:
    existing = {state.iso3: state for state in State.objects.all()}
    current: dict[str, list[TreatyEvent]] = defaultdict(list)
    for event in TreatyEvent.objects.filter(superseded_by__isnull=True):
        current[event.state_id].append(event)

    for row in data.states:
        region, subregion = data.regions.get(row.iso3, ("", ""))
        state = existing.get(row.iso3)
        if state is None:
            state = State(
                iso3=row.iso3, country=countries.alpha2(row.iso3), name=row.name, region=region, subregion=subregion
            )
            plan.new_states.append(state)
            plan.lines.append(f"{row.iso3}: new state {row.name}")
        elif (state.name, state.region, state.subregion) != (
            row.name,
            region or state.region,
            subregion or state.subregion,
        ):
            plan.lines.append(f"{row.iso3}: name or region {state.name!r} → {row.name!r} {region} {subregion}".rstrip())
            state.name, state.region, state.subregion = row.name, region or state.region, subregion or state.subregion
            plan.updated_states.append(state)

        events = current.get(row.iso3, [])
        withdrawals = [e.date for e in events if e.kind == treaty.WITHDRAWAL_EFFECTIVE]
        latest_withdrawal = max(withdrawals) if withdrawals else None
        matched: set[int] = set()
        for planned in row.events:
            same = [e for e in events if e.kind == planned.kind and e.date == planned.date]
            if same:
                matched.update(e.pk for e in same)
                continue
            candidates = [
                e
                for e in events
                if _group(e.kind) == _group(planned.kind)
                and planned.kind != treaty.WITHDRAWAL_EFFECTIVE
                and e.pk not in matched
                and (latest_withdrawal is None or e.date > latest_withdrawal)
            ]
            if candidates:
                old = max(candidates, key=lambda e: e.date)
                matched.add(old.pk)
                plan.changed_events.append((old, planned))
                plan.lines.append(
                    f"{row.iso3}: {old.kind} {old.date} → {planned.kind} {planned.date} "
                    "(the old date is kept as history)"
                )
            else:
                plan.new_events.append(planned)
                plan.lines.append(
                    f"{row.iso3}: new event {planned.kind} {planned.date}" + (" (derived)" if planned.derived else "")
                )
        for event in events:
            if event.pk not in matched and event.kind != TreatyEvent.Kind.DECLARATION_ENDORSED:
                plan.kept_events.append(event)
                plan.lines.append(f"{row.iso3}: {event.kind} {event.date} is not in the file; kept")


def _plan_facts(data: ReferenceData, plan: ReferencePlan) -> None:
    existing = set(StateFact.objects.values_list("state_id", "kind", "value", "as_of", "source"))
    for fact in data.facts:
        key = (fact.iso3, fact.kind, fact.value, fact.as_of, fact.source)
        if key not in existing:
            existing.add(key)
            plan.new_facts.append(
                StateFact(state_id=fact.iso3, **_values(fact, "kind value as_of source note as_of_label"))
            )
            plan.lines.append(f"{fact.iso3}: new fact {fact.kind}={fact.value} as of {fact.as_of}")


REFERENCE_MEASURE_TITLE = "Stockpile destruction completed"


def _plan_measures(data: ReferenceData, plan: ReferencePlan) -> None:
    """A completed stockpile destruction per row, unless the state already has one from the same source."""
    existing = set(
        NationalMeasure.objects.filter(kind=NationalMeasure.Kind.STOCKPILE_DESTRUCTION).values_list(
            "state_id", "source"
        )
    )
    for row in data.measures:
        if (row.iso3, row.source) in existing:
            continue
        existing.add((row.iso3, row.source))
        plan.new_measures.append(
            NationalMeasure(
                state_id=row.iso3,
                kind=NationalMeasure.Kind.STOCKPILE_DESTRUCTION,
                title=REFERENCE_MEASURE_TITLE,
                status=NationalMeasure.Status.COMPLETED,
                description=row.description,
                completed=date(row.year, 12, 31),
                completed_year_only=True,
                munitions_destroyed=row.munitions_destroyed,
                submunitions_destroyed=row.submunitions_destroyed,
                source=row.source,
            )
        )
        plan.lines.append(f"{row.iso3}: new measure, stockpile destruction completed in {row.year}")


def _plan_meetings(data: ReferenceData, plan: ReferencePlan) -> None:
    existing = {meeting.name: meeting for meeting in Meeting.objects.all()}
    for row in data.meetings:
        values = {
            "slug": row.slug,
            "kind": row.kind,
            "city": row.city,
            "country_id": row.country_iso3 or None,
            "start": row.start,
            "end": row.end,
        }
        meeting = existing.get(row.name)
        if meeting is None:
            plan.new_meetings.append(Meeting(name=row.name, **values))
            plan.lines.append(f"meeting: new {row.name}")
        elif any(getattr(meeting, k) != v for k, v in values.items() if k != "slug"):
            for k, v in values.items():
                if k != "slug":
                    setattr(meeting, k, v)
            plan.updated_meetings.append(meeting)
            plan.lines.append(f"meeting: {row.name} changes ({row.city} {row.start}–{row.end})")


def _event(planned: PlannedEvent) -> TreatyEvent:
    return TreatyEvent(state_id=planned.iso3, **_values(planned, "kind date source derived note"))


@transaction.atomic
def reference_update(*, data: ReferenceData, as_of: date, source: str, apply: bool, by: User | Actor) -> ReferencePlan:
    """Compare checked reference rows with the database; with `apply`, write the differences.

    Never deletes: events missing from the file are kept; a changed date supersedes the old event.
    Applied changes are one audit entry, with the summary.
    """
    plan = ReferencePlan()
    _plan_states(data, plan)
    _plan_facts(data, plan)
    _plan_measures(data, plan)
    _plan_meetings(data, plan)
    if not apply:
        return plan

    State.objects.bulk_create(plan.new_states)
    State.objects.bulk_update(plan.updated_states, ["name", "region", "subregion"])
    TreatyEvent.objects.bulk_create([_event(planned) for planned in plan.new_events])
    now = timezone.now()
    for old, planned in plan.changed_events:
        # Retire the old event first: the unique constraint allows one current event per kind and date.
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        replacement = _event(planned)
        replacement.save()
        TreatyEvent.objects.filter(pk=old.pk).update(superseded_by=replacement)
    StateFact.objects.bulk_create(plan.new_facts)
    for measure in NationalMeasure.objects.bulk_create(plan.new_measures):
        NationalMeasureChange.objects.create(
            measure=measure,
            changed_by=None,
            changed_by_name=f"Reference data ({source})",
            created=True,
            changes=measure_created_changes(measure),
        )
    Meeting.objects.bulk_create(plan.new_meetings)
    Meeting.objects.bulk_update(plan.updated_meetings, ["kind", "city", "country", "start", "end"])
    states_refresh_status()
    release = None
    if plan.changes or not ReferenceRelease.objects.filter(as_of=as_of, source=source).exists():
        release = ReferenceRelease.objects.create(as_of=as_of, source=source, summary=plan.summary())
    if plan.changes:
        audit_record(
            by=by,
            action="states.reference_update",
            target=release,
            detail={"as_of": as_of, "source": source, "summary": plan.summary()},
        )
    return plan
