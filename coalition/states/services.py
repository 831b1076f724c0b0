"""Every write to states, their events, facts, measures and meetings goes through these functions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.core.services import email_send
from coalition.states import obligations, treaty
from coalition.states.imports import PlannedEvent, ReferenceData
from coalition.states.models import (
    Meeting,
    NationalMeasure,
    NationalMeasureChange,
    ObligationNotice,
    ObligationRecord,
    ReferenceRelease,
    State,
    StateAsks,
    StateFact,
    TreatyEvent,
)
from coalition.states.signals import StatusChange, treaty_status_changed

STATUS_FIELDS = ["status", "signed", "ratified", "method", "entry_into_force", "entry_into_force_derived", "withdrawn"]


def _derived_fields(events: Iterable[TreatyEvent], on: date) -> dict[str, Any]:
    derived = treaty.derive_status([e.as_status_event() for e in events if e.superseded_by_id is None], on=on)
    return {
        "status": derived.status,
        "signed": derived.signed,
        "ratified": derived.ratified,
        "method": derived.method,
        "entry_into_force": derived.entry_into_force,
        "entry_into_force_derived": derived.entry_into_force_derived,
        "withdrawn": derived.withdrawn,
    }


def states_refresh_status(*, iso3s: Iterable[str] | None = None, on: date | None = None) -> int:
    """Recompute the cached treaty columns from the events (two queries, one bulk update); returns how many changed."""
    on = on or timezone.localdate()
    states = State.objects.all() if iso3s is None else State.objects.filter(iso3__in=list(iso3s))
    events: dict[str, list[TreatyEvent]] = defaultdict(list)
    for event in TreatyEvent.objects.filter(state__in=states, superseded_by__isnull=True):
        events[event.state_id].append(event)
    changed = []
    moves = []
    for state in states:
        values = _derived_fields(events[state.iso3], on)
        if any(getattr(state, name) != value for name, value in values.items()):
            if state.status != values["status"]:
                moves.append(StatusChange(iso3=state.iso3, before=state.status, after=values["status"]))
            for name, value in values.items():
                setattr(state, name, value)
            changed.append(state)
    with transaction.atomic():
        State.objects.bulk_update(changed, STATUS_FIELDS)
        if moves:
            treaty_status_changed.send(sender=State, changes=moves)
    return len(changed)


def state_refresh_status(*, state: State) -> State:
    states_refresh_status(iso3s=[state.iso3])
    state.refresh_from_db()
    return state


@transaction.atomic
def treaty_event_record(
    *,
    state: State,
    kind: str,
    date: date,
    source: str,
    derived: bool = False,
    title: str = "",
    note: str = "",
    treaty_rules: treaty.Treaty = treaty.CCM,
    by: User | Actor,
) -> TreatyEvent:
    """Add a dated event (a staff correction, a new ratification…) and bring the state's status up to date."""
    if kind != TreatyEvent.Kind.DECLARATION_ENDORSED and date < treaty_rules.opened_for_signature:
        raise ValidationError(
            {
                "date": _("%(date)s is before the treaty opened for signature (%(opened)s).")
                % {"date": date, "opened": treaty_rules.opened_for_signature}
            }
        )
    event = TreatyEvent.objects.create(
        state=state, kind=kind, date=date, source=source, derived=derived, title=title, note=note
    )
    if (
        kind in (TreatyEvent.Kind.RATIFICATION, TreatyEvent.Kind.ACCESSION)
        and not state.events.filter(
            kind=TreatyEvent.Kind.ENTRY_INTO_FORCE, date__gte=date, superseded_by__isnull=True
        ).exists()
    ):
        TreatyEvent.objects.create(
            state=state,
            kind=TreatyEvent.Kind.ENTRY_INTO_FORCE,
            date=treaty.entry_into_force_for(date, treaty_rules),
            source=source,
            derived=True,
        )
    before = state.status
    state_refresh_status(state=state)
    audit_record(
        by=by,
        action="state.treaty_event",
        target=state,
        label=f"{state.iso3} {state.name}",
        detail={"kind": kind, "date": date, "source": source, "note": note, "status": [before, state.status]},
    )
    return event


# --- reference data ---------------------------------------------------------------------------------------------


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
                StateFact(
                    state_id=fact.iso3,
                    kind=fact.kind,
                    value=fact.value,
                    as_of=fact.as_of,
                    source=fact.source,
                    note=fact.note,
                    as_of_label=fact.as_of_label,
                )
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
    return TreatyEvent(
        state_id=planned.iso3,
        kind=planned.kind,
        date=planned.date,
        source=planned.source,
        derived=planned.derived,
        note=planned.note,
    )


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
            changes={name: [None, _text(getattr(measure, name))] for name in MEASURE_FIELDS},
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


# --- national measures ------------------------------------------------------------------------------------------

MEASURE_FIELDS = [
    "kind",
    "title",
    "status",
    "description",
    "started",
    "deadline",
    "completed",
    "munitions_destroyed",
    "munitions_remaining",
    "submunitions_destroyed",
    "submunitions_remaining",
    "source",
]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def measure_create(*, state: State, by: User, **values: Any) -> NationalMeasure:
    measure = NationalMeasure(state=state, **{k: v for k, v in values.items() if k in MEASURE_FIELDS})
    measure.full_clean()
    measure.save()
    changes = {name: [None, _text(getattr(measure, name))] for name in MEASURE_FIELDS}
    NationalMeasureChange.objects.create(
        measure=measure, changed_by=by, changed_by_name=by.get_full_name() or by.email, created=True, changes=changes
    )
    audit_record(by=by, action="measure.create", target=measure, detail={"state": state.iso3, "fields": changes})
    return measure


@transaction.atomic
def measure_update(*, measure: NationalMeasure, by: User, **values: Any) -> NationalMeasure:
    """Apply the new values and keep who changed what, when; an edit that changes nothing leaves no record."""
    measure = NationalMeasure.objects.select_for_update().get(pk=measure.pk)
    changes = {}
    for name, value in values.items():
        if name in MEASURE_FIELDS and getattr(measure, name) != value:
            changes[name] = [_text(getattr(measure, name)), _text(value)]
            setattr(measure, name, value)
    if changes:
        measure.full_clean()
        measure.save()
        NationalMeasureChange.objects.create(
            measure=measure, changed_by=by, changed_by_name=by.get_full_name() or by.email, changes=changes
        )
        audit_record(by=by, action="measure.update", target=measure, detail={"fields": changes})
    return measure


# --- treaty obligations -----------------------------------------------------------------------------------------


def _record_problem_message(code: str, *, state: State) -> str:
    eif = state.entry_into_force
    messages = {
        "future": _("This date is in the future: record a report or a completion once it has happened."),
        "no_entry_into_force": _(
            "%(state)s has no entry-into-force date, so the Convention sets it no deadline to record against."
        )
        % {"state": state.name},
        "period_required": _("Say which calendar year the annual report covers."),
        "period_out_of_range": _("No annual report is due for that year."),
        "article_required": _("Say which article is extended: 3 (stockpile destruction) or 4 (clearance)."),
        "new_deadline_required": _("Give the new deadline the extension grants."),
        "before_original": _(
            "The new deadline must come after the original one (%(stockpile)s for Article 3, %(clearance)s for "
            "Article 4): an extension cannot move a deadline earlier."
        )
        % {
            "stockpile": obligations.stockpile_destruction_due(eif) if eif else "—",
            "clearance": obligations.clearance_due(eif) if eif else "—",
        },
    }
    return str(messages[code])


def obligation_record_check(*, state: State, record: obligations.Record, today: date | None = None) -> None:
    """Raise a ValidationError naming each field that makes `record` unacceptable for `state`."""
    problems = obligations.check_record(
        record,
        is_party=state.status == treaty.STATE_PARTY,
        entry_into_force=state.entry_into_force,
        today=today or timezone.localdate(),
    )
    if problems:
        errors: dict[str, list[str]] = defaultdict(list)
        for name, code in problems:
            errors[name].append(_record_problem_message(code, state=state))
        raise ValidationError(dict(errors))


@transaction.atomic
def obligation_record_add(
    *,
    state: State,
    kind: str,
    date: date,
    source: str,
    period: int | None = None,
    article: str = "",
    new_deadline: date | None = None,
    note: str = "",
    by: User | Actor,
) -> ObligationRecord:
    """Record a report received, a completion or an extension; the obligation's status follows from it."""
    record = ObligationRecord(
        state=state,
        kind=kind,
        date=date,
        source=source,
        period=period,
        article=article,
        new_deadline=new_deadline,
        note=note,
    )
    obligation_record_check(state=state, record=record.as_record())
    record.full_clean()
    record.save()
    audit_record(
        by=by,
        action="state.obligation_record",
        target=state,
        label=f"{state.iso3} {state.name}",
        detail={"kind": kind, "date": date, "period": period, "article": article, "new_deadline": new_deadline},
    )
    return record


@transaction.atomic
def asks_update(*, state: State, text: str, by: User) -> StateAsks:
    """Set the campaign's asks of a state (Markdown, rendered through the sanitiser when shown)."""
    asks, _created = StateAsks.objects.select_for_update().get_or_create(state=state)
    before = asks.text
    if before != text:
        asks.text = text
        asks.updated_by = by
        asks.save()
        audit_record(by=by, action="state.asks_update", target=state, detail={"text": [before, text]})
    return asks


# --- the campaigners' digest ------------------------------------------------------------------------------------

DIGEST_STATUSES = (obligations.DUE_SOON, obligations.OVERDUE)


def obligations_digest_send(*, today: date | None = None) -> int:
    """E-mail campaigners, once, the obligations that became due within 90 days or overdue; returns the number.

    Each (state, article, status, deadline) is announced once: a marker row is written in the same transaction
    as the e-mails are queued, so a rerun (or a crash before the commit) never repeats nor loses one. A new
    deadline (after an extension) or a new status (due soon → overdue) is news again.
    """
    from coalition.accounts.models import User
    from coalition.accounts.roles import Role
    from coalition.states import selectors

    today = today or timezone.localdate()
    parties = list(State.objects.filter(status=treaty.STATE_PARTY))
    with transaction.atomic():
        sent = {
            (n.state_id, n.article, n.status, n.due)
            for n in ObligationNotice.objects.select_for_update().filter(status__in=DIGEST_STATUSES)
        }
        news = [
            (entry.state, item)
            for entry in selectors.obligations_for(parties, today=today)
            for item in entry.items
            if item.status in DIGEST_STATUSES
            and item.due is not None
            and (entry.state.iso3, item.article, item.status, item.due) not in sent
        ]
        if not news:
            return 0
        ObligationNotice.objects.bulk_create(
            [
                ObligationNotice(state=state, article=item.article, status=item.status, due=item.due or today)
                for state, item in news
            ],
            ignore_conflicts=True,
        )
        news.sort(key=lambda pair: (pair[1].status != obligations.OVERDUE, pair[1].due or today, pair[0].name))
        recipients = User.objects.filter(is_active=True, groups__name=Role.CAMPAIGNER).exclude(email="").distinct()
        for user in recipients:
            email_send(
                to=user.email,
                template="states-obligations-digest",
                context={"news": news, "today": today},
                language=user.preferred_language or None,
            )
    return len(news)
