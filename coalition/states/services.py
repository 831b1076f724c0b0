"""Every write to states, their events, facts, measures and meetings goes through these functions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.core.services import email_send
from coalition.states import obligations, treaty
from coalition.states.models import (
    TREATY_STATUS_FIELDS,
    NationalMeasure,
    NationalMeasureChange,
    ObligationNotice,
    ObligationRecord,
    State,
    StateAsks,
    TreatyEvent,
)
from coalition.states.signals import StatusChange, treaty_status_changed


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
        State.objects.bulk_update(changed, TREATY_STATUS_FIELDS)
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


def measure_created_changes(measure: NationalMeasure) -> dict[str, list[str | None]]:
    """A new measure's history entry: every field, from nothing to its value."""
    return {name: [None, _text(getattr(measure, name))] for name in MEASURE_FIELDS}


@transaction.atomic
def measure_create(*, state: State, by: User, **values: Any) -> NationalMeasure:
    measure = NationalMeasure(state=state, **{k: v for k, v in values.items() if k in MEASURE_FIELDS})
    measure.full_clean()
    measure.save()
    changes = measure_created_changes(measure)
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
