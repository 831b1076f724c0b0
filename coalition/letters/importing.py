"""Import officials from CSV or Popolo JSON: every row is checked, every bad or duplicate row reported,
then all or nothing. Re-importing updates positions in place and closes terms that ended."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from coalition.letters.models import Person, Position, Role, Term
from coalition.letters.selectors import action_cache_clear
from coalition.lib.imports import ImportRejected
from coalition.states.models import State

COLUMNS = [
    "position_id",
    "state",
    "role",
    "title",
    "constituency",
    "person_id",
    "person_name",
    "email",
    "postal_address",
    "language",
    "start_date",
    "end_date",
    "source",
    "verified_on",
]
REQUIRED = ("position_id", "state", "title")


@dataclass
class OfficialRow:
    line: int
    position_key: str
    state: str
    role: str
    title: str
    constituency: str = ""
    person_key: str = ""
    person_name: str = ""
    email: str = ""
    postal_address: str = ""
    language: str = ""
    start: date | None = None
    end: date | None = None
    source: str = ""
    verified_on: date | None = None


@dataclass
class ImportReport:
    positions_created: int = 0
    positions_updated: int = 0
    terms_opened: int = 0
    terms_closed: int = 0
    terms_updated: int = 0
    dry_run: bool = True

    @property
    def summary(self) -> str:
        prefix = "would " if self.dry_run else ""
        return (
            f"{prefix}create {self.positions_created} and update {self.positions_updated} position(s); "
            f"{prefix}open {self.terms_opened}, update {self.terms_updated} and close {self.terms_closed} term(s)"
        )


def _date(value: str, line: int, column: str, errors: list[str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors.append(f"row {line}: {column}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def _role(value: str) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        return Role.OTHER
    for choice in Role:
        if value in {choice.value, str(choice.label).lower()}:
            return str(choice.value)
    aliases = {
        "minister of foreign affairs": Role.FOREIGN_MINISTER,
        "foreign minister": Role.FOREIGN_MINISTER,
        "minister of defence": Role.DEFENCE_MINISTER,
        "minister of defense": Role.DEFENCE_MINISTER,
        "permanent representative": Role.PERMANENT_REPRESENTATIVE,
        "member of parliament": Role.MEMBER_OF_PARLIAMENT,
        "mp": Role.MEMBER_OF_PARLIAMENT,
        "prime minister": Role.HEAD_OF_GOVERNMENT,
        "president": Role.HEAD_OF_STATE,
    }
    return str(aliases[value]) if value in aliases else None


def _check(raw: dict[str, str], line: int, errors: list[str], states: set[str]) -> OfficialRow | None:
    before = len(errors)
    for column in REQUIRED:
        if not (raw.get(column) or "").strip():
            errors.append(f"row {line}: {column}: required")
    iso3 = (raw.get("state") or "").strip().upper()
    if iso3 and iso3 not in states:
        errors.append(f"row {line}: state: unknown ISO 3166 alpha-3 code {iso3!r}")
    role = _role(raw.get("role", ""))
    if role is None:
        errors.append(f"row {line}: role: unknown role {raw.get('role')!r} (one of {', '.join(Role.values)})")
    email = (raw.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"row {line}: email: {email!r} is not an e-mail address")
    name = (raw.get("person_name") or "").strip()
    person_key = (raw.get("person_id") or "").strip()
    if person_key and not name:
        errors.append(f"row {line}: person_name: required when person_id is given")
    start = _date(raw.get("start_date", ""), line, "start_date", errors)
    end = _date(raw.get("end_date", ""), line, "end_date", errors)
    verified = _date(raw.get("verified_on", ""), line, "verified_on", errors)
    if start and end and end < start:
        errors.append(f"row {line}: end_date: before start_date")
    if len(errors) > before:
        return None
    return OfficialRow(
        line=line,
        position_key=raw["position_id"].strip(),
        state=iso3,
        role=role or Role.OTHER,
        title=raw["title"].strip()[:200],
        constituency=(raw.get("constituency") or "").strip()[:200],
        person_key=person_key or (f"name:{name.lower()}" if name else ""),
        person_name=name[:200],
        email=email,
        postal_address=(raw.get("postal_address") or "").strip(),
        language=(raw.get("language") or "").strip()[:10],
        start=start,
        end=end,
        source=(raw.get("source") or "").strip(),
        verified_on=verified,
    )


def parse_csv(text: str) -> tuple[list[dict[str, str]], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        return [], [f"header: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"]
    return [{key: value or "" for key, value in row.items() if key} for row in reader], []


def _contact(item: dict[str, Any], kind: str) -> str:
    for detail in item.get("contact_details") or []:
        if isinstance(detail, dict) and detail.get("type") == kind:
            return str(detail.get("value") or "")
    return str(item.get(kind) or "")


def parse_popolo(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Popolo JSON (persons, organizations, posts, memberships) → the CSV's columns, one row per membership.

    The state is the post's or organization's `area_id` (ISO alpha-3); a post with no membership is a
    vacant position.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"JSON: {exc}"]
    if not isinstance(data, dict):
        return [], ["JSON: expected an object with persons, organizations, posts and memberships"]
    persons = {str(p.get("id")): p for p in data.get("persons") or [] if isinstance(p, dict)}
    organizations = {str(o.get("id")): o for o in data.get("organizations") or [] if isinstance(o, dict)}
    posts = {str(p.get("id")): p for p in data.get("posts") or [] if isinstance(p, dict)}
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    held: set[str] = set()
    for number, membership in enumerate(data.get("memberships") or [], start=1):
        post = posts.get(str(membership.get("post_id")))
        if post is None:
            errors.append(f"membership {number}: post_id {membership.get('post_id')!r} is not among the posts")
            continue
        person = persons.get(str(membership.get("person_id")))
        if person is None:
            errors.append(f"membership {number}: person_id {membership.get('person_id')!r} is not among the persons")
            continue
        held.add(str(post.get("id")))
        rows.append(_popolo_row(post, organizations, person, membership))
    for post_id, post in posts.items():
        if post_id not in held:
            rows.append(_popolo_row(post, organizations, None, {}))
    return rows, errors


def _popolo_row(
    post: dict[str, Any], organizations: dict[str, Any], person: dict[str, Any] | None, membership: dict[str, Any]
) -> dict[str, str]:
    organization = organizations.get(str(post.get("organization_id"))) or {}
    area = post.get("area_id") or organization.get("area_id") or ""
    row = {
        "position_id": str(post.get("id") or ""),
        "state": str(area),
        "role": str(post.get("role") or ""),
        "title": str(post.get("label") or ""),
        "constituency": str(post.get("constituency") or (post.get("area") or {}).get("name", "") or ""),
        "start_date": str(membership.get("start_date") or ""),
        "end_date": str(membership.get("end_date") or ""),
        "source": "; ".join(str(s.get("url") or s.get("note") or "") for s in membership.get("sources") or []),
        "verified_on": str(membership.get("verified_on") or post.get("verified_on") or ""),
    }
    if person is not None:
        row.update(
            person_id=str(person.get("id") or ""),
            person_name=str(person.get("name") or ""),
            email=_contact(person, "email") or _contact(membership, "email") or _contact(post, "email"),
            postal_address=_contact(person, "address") or _contact(post, "address"),
            language=str(person.get("language") or ""),
        )
    return row


def check_rows(raw_rows: list[dict[str, str]], first_line: int = 2) -> tuple[list[OfficialRow], list[str]]:
    states = set(State.objects.values_list("iso3", flat=True))
    errors: list[str] = []
    rows: list[OfficialRow] = []
    open_seen: dict[str, int] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for offset, raw in enumerate(raw_rows):
        line = first_line + offset
        row = _check(raw, line, errors, states)
        if row is None:
            continue
        key = (row.position_key, row.person_key, str(row.start))
        if key in seen:
            errors.append(f"row {line}: duplicate of row {seen[key]} (same position, person and start date)")
            continue
        seen[key] = line
        if row.person_key and row.end is None:
            if row.position_key in open_seen:
                errors.append(
                    f"row {line}: position {row.position_key!r} already has a current holder in row "
                    f"{open_seen[row.position_key]}; give the earlier term an end_date"
                )
                continue
            open_seen[row.position_key] = line
        rows.append(row)
    return rows, errors


def officials_import(*, text: str, fmt: str, dry_run: bool, log: Callable[[str], None] | None = None) -> ImportReport:
    """Check everything first; with one bad row nothing changes (ImportRejected lists them all)."""
    if fmt == "popolo":
        raw_rows, errors = parse_popolo(text)
        first_line = 1
    else:
        raw_rows, errors = parse_csv(text)
        first_line = 2
    rows, row_errors = check_rows(raw_rows, first_line)
    errors += row_errors
    if errors:
        raise ImportRejected(errors)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        _apply(rows, report, log or (lambda message: None))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply(rows: list[OfficialRow], report: ImportReport, log: Callable[[str], None]) -> None:
    today = timezone.localdate()
    positions = {position.key: position for position in Position.objects.filter(key__in={r.position_key for r in rows})}
    # A term whose holder is not the file's current holder has ended: it is closed, not deleted.
    current_in_file = {row.position_key: row.person_key for row in rows if row.person_key and row.end is None}
    touched: set[int] = set()
    for done, row in enumerate(rows, start=1):
        position = positions.get(row.position_key)
        values = {"state_id": row.state, "role": row.role, "title": row.title, "constituency": row.constituency}
        if position is None:
            position = Position.objects.create(key=row.position_key, **values)
            positions[row.position_key] = position
            report.positions_created += 1
        elif position.pk not in touched and any(getattr(position, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(position, key, value)
            position.save()
            report.positions_updated += 1
        if position.pk not in touched:
            touched.add(position.pk)
            holder = current_in_file.get(row.position_key)
            for ended in Term.objects.filter(position=position, ended_on__isnull=True).select_related("person"):
                if ended.person.key != holder:
                    ended.ended_on = max(today - timedelta(days=1), ended.started_on or date.min)
                    ended.save(update_fields=["ended_on"])
                    report.terms_closed += 1
        if row.person_key:
            person, _created = Person.objects.update_or_create(key=row.person_key, defaults={"name": row.person_name})
            term: Term | None = (
                Term.objects.filter(position=position, person=person).filter(ended_on__isnull=True).first()
                or Term.objects.filter(position=position, person=person, started_on=row.start).first()
            )
            fields: dict[str, Any] = {
                "started_on": row.start,
                "ended_on": row.end,
                "email": row.email,
                "postal_address": row.postal_address,
                "language": row.language,
                "source": row.source,
                "verified_on": row.verified_on,
            }
            if term is None:
                Term.objects.create(position=position, person=person, **fields)
                report.terms_opened += 1
            elif any(getattr(term, k) != v for k, v in fields.items()):
                if term.ended_on is None and row.end is not None:
                    report.terms_closed += 1
                else:
                    report.terms_updated += 1
                for key, value in fields.items():
                    setattr(term, key, value)
                term.save()
        if done % 500 == 0:
            log(f"Importing {done}/{len(rows)}…")
    positions_refresh_current_term(position_ids=touched)


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
