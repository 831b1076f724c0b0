"""Writing an officials file's checked rows: all or nothing, positions updated in place, people matched by
Wikidata item then key, and terms matched to the stored ones independently of the order of the rows (the same
person with the same start date, then the same person over an overlapping period), so an unchanged file
imported again changes nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.letters.importing.popolo import parse_popolo
from coalition.letters.importing.rows import OfficialRow, check_rows, parse_csv
from coalition.letters.models import Person, Position, Term
from coalition.letters.selectors import action_cache_clear
from coalition.lib.imports import ImportRejected
from coalition.states.models import State

PROGRESS_EVERY = 500


@dataclass
class ImportReport:
    positions_created: int = 0
    positions_updated: int = 0
    terms_opened: int = 0
    terms_closed: int = 0
    terms_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    dry_run: bool = True
    # What was left out on purpose (placeholder persons, party memberships), one line each.
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.positions_created,
                self.positions_updated,
                self.terms_opened,
                self.terms_closed,
                self.terms_updated,
                self.people_created,
                self.people_updated,
            )
        )

    @property
    def summary(self) -> str:
        prefix = "would " if self.dry_run else ""
        details = (
            f"{prefix}create {self.positions_created} and update {self.positions_updated} position(s); "
            f"{prefix}open {self.terms_opened}, update {self.terms_updated} and close {self.terms_closed} term(s); "
            f"{prefix}add {self.people_created} and update {self.people_updated} person(s)"
        )
        return details if self.changed else f"no changes ({details})"


def officials_import(
    *, text: str, fmt: str, dry_run: bool, state: str = "", log: Callable[[str], None] | None = None
) -> ImportReport:
    """Check everything first; with one bad row nothing changes (ImportRejected lists them all)."""
    log = log or (lambda message: None)
    state = state.strip().upper()
    if state and not State.objects.filter(iso3=state).exists():
        raise ImportRejected([f"--state: unknown ISO 3166 alpha-3 code {state!r}"])
    report = ImportReport(dry_run=dry_run)
    if fmt == "popolo":
        read = parse_popolo(text, state=state)
        raw_rows, errors = read.rows, read.errors
        report.skipped = read.skipped
        first_line = 1
    else:
        raw_rows, errors = parse_csv(text)
        first_line = 2
    log(f"Read {len(raw_rows)} row(s); checking…")
    rows, row_errors = check_rows(raw_rows, first_line)
    errors += row_errors
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        _apply(rows, report, log)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _people(rows: list[OfficialRow], report: ImportReport) -> dict[str, Person]:
    """The file's people (by their key in the file) → stored people: the same Wikidata item first, then the
    same key. A new name or identifier updates the person; nothing is created twice."""
    latest: dict[str, OfficialRow] = {}
    for row in sorted(rows, key=lambda r: (r.end is None, r.end or date.min, r.start or date.min, r.line)):
        if row.person_key:
            latest[row.person_key] = row  # the person's most recent row names them
    by_wikidata = {
        p.wikidata: p for p in Person.objects.filter(wikidata__in={r.wikidata for r in latest.values() if r.wikidata})
    }
    by_key = {p.key: p for p in Person.objects.filter(key__in=latest.keys())}
    people: dict[str, Person] = {}
    for person_key, row in sorted(latest.items()):
        person = (by_wikidata.get(row.wikidata) if row.wikidata else None) or by_key.get(person_key)
        if person is None:
            person = Person.objects.create(
                key=person_key, name=row.person_name, wikidata=row.wikidata, identifiers=row.identifiers
            )
            report.people_created += 1
        else:
            wanted = {
                "name": row.person_name,
                "wikidata": row.wikidata or person.wikidata,
                "identifiers": {**person.identifiers, **row.identifiers},
            }
            if any(getattr(person, k) != v for k, v in wanted.items()):
                for key, value in wanted.items():
                    setattr(person, key, value)
                person.save(update_fields=list(wanted))
                report.people_updated += 1
        people[person_key] = person
    return people


def _overlaps(term: Term, row: OfficialRow) -> bool:
    return (term.started_on or date.min) <= (row.end or date.max) and (row.start or date.min) <= (
        term.ended_on or date.max
    )


def _apply(rows: list[OfficialRow], report: ImportReport, log: Callable[[str], None]) -> None:
    today = timezone.localdate()
    people = _people(rows, report)
    by_position: dict[str, list[OfficialRow]] = defaultdict(list)
    for row in rows:
        by_position[row.position_key].append(row)
    positions = {p.key: p for p in Position.objects.filter(key__in=by_position.keys())}
    stored_terms: dict[int, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(position__key__in=by_position.keys()).order_by("started_on", "pk"):
        stored_terms[term.position_id].append(term)
    touched: set[int] = set()
    done = 0
    for position_key in sorted(by_position):
        file_rows = sorted(
            by_position[position_key], key=lambda r: (r.start or date.min, r.end or date.max, r.person_key, r.line)
        )
        # The position's details come from its most recent row, whatever the order of the file.
        latest = max(file_rows, key=lambda r: (r.end is None, r.end or date.min, r.start or date.min, r.line))
        values = {
            "state_id": latest.state,
            "role": latest.role,
            "title": latest.title,
            "constituency": latest.constituency,
        }
        position = positions.get(position_key)
        if position is None:
            position = Position.objects.create(key=position_key, **values)
            report.positions_created += 1
        elif any(getattr(position, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(position, key, value)
            position.save(update_fields=[k for k in values])
            report.positions_updated += 1
        touched.add(position.pk)
        _apply_terms(position, file_rows, stored_terms.get(position.pk, []), people, report, today)
        done += len(file_rows)
        if done // PROGRESS_EVERY != (done - len(file_rows)) // PROGRESS_EVERY:
            log(f"Importing {done}/{len(rows)}…")
    positions_refresh_current_term(position_ids=touched)


def _apply_terms(
    position: Position,
    file_rows: list[OfficialRow],
    stored: list[Term],
    people: dict[str, Person],
    report: ImportReport,
    today: date,
) -> None:
    """Match the file's terms of one position to the stored ones (same person and start date, else the same
    person over an overlapping period), then close, update and open — in that order, so that at no point
    two terms are open."""
    held = [row for row in file_rows if row.person_key]
    matched: dict[int, Term] = {}  # id(row) → stored term
    free = list(stored)
    for exact in (True, False):
        for row in held:
            if id(row) in matched:
                continue
            person = people[row.person_key]
            for term in free:
                if term.person_id == person.pk and (term.started_on == row.start if exact else _overlaps(term, row)):
                    matched[id(row)] = term
                    free.remove(term)
                    break
    for term in free:  # stored as open, not in the file as current: its holder has left
        if term.ended_on is None:
            term.ended_on = max(today - timedelta(days=1), term.started_on or date.min)
            term.save(update_fields=["ended_on"])
            report.terms_closed += 1
    updates: list[tuple[Term, dict[str, Any]]] = []
    creates: list[tuple[OfficialRow, dict[str, Any]]] = []
    for row in held:
        fields: dict[str, Any] = {
            "started_on": row.start,
            "ended_on": row.end,
            "email": row.email,
            "postal_address": row.postal_address,
            "language": row.language,
            "party": row.party,
            "source": row.source,
            "verified_on": row.verified_on,
        }
        known = matched.get(id(row))
        if known is None:
            creates.append((row, fields))
        elif any(getattr(known, k) != v for k, v in fields.items()):
            updates.append((known, fields))
    # terms that close go first, then the others, then new ones: never two open terms at once
    updates.sort(key=lambda item: item[1]["ended_on"] is None)
    for term, fields in updates:
        if term.ended_on is None and fields["ended_on"] is not None:
            report.terms_closed += 1
        else:
            report.terms_updated += 1
        for key, value in fields.items():
            setattr(term, key, value)
        term.save(update_fields=list(fields))
    creates.sort(key=lambda item: item[1]["ended_on"] is None)
    for row, fields in creates:
        Term.objects.create(position=position, person=people[row.person_key], **fields)
        report.terms_opened += 1


def positions_refresh_current_term(*, position_ids: set[int] | None = None) -> None:
    """Point each position at its open term (or none: vacant); pages read it without looking for terms."""
    queryset = Position.objects.all() if position_ids is None else Position.objects.filter(pk__in=position_ids)
    open_terms = dict(
        Term.objects.filter(position__in=queryset, ended_on__isnull=True).values_list("position_id", "pk")
    )
    for position in queryset.only("pk", "current_term_id"):
        wanted = open_terms.get(position.pk)
        if position.current_term_id != wanted:
            Position.objects.filter(pk=position.pk).update(current_term_id=wanted)
            action_cache_clear()  # an update() sends no signal
