"""CSV import of organisations: every row is checked first, every bad row is reported, then all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.lib.forms import validate_single_line, validate_text
from coalition.lib.imports import ImportRejected
from coalition.members.models import RESERVED_SLUGS, Organisation, SteeringCommitteeSeat
from coalition.members.organisations import organisation_set_status

COLUMNS = [
    "name",
    "slug",
    "type",
    "country",
    "city",
    "website",
    "description",
    "languages",
    "joined_on",
    "founding_member",
    "steering_committee",
    "contact_email",
    "status",
]
REQUIRED = {"name"}
# The column widths of the model, so the limits never drift from the database's.
MAX_LENGTHS: dict[str, int | None] = {
    column: getattr(Organisation._meta.get_field(column), "max_length", None)
    for column in COLUMNS
    # Not checked as typed: a slug is cut to its width; the others are converted (IRL → IE) and checked as such.
    if column not in {"slug", "type", "country", "status", "joined_on", "founding_member", "steering_committee"}
}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass
class ImportReport:
    to_create: list[str] = field(default_factory=list)
    to_update: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        verb2 = "would update" if self.dry_run else "updated"
        return f"{verb} {len(self.to_create)}, {verb2} {len(self.to_update)} organisation(s)"


def _country(value: str) -> str | None:
    value = value.strip()
    if not value:
        return ""
    upper = value.upper()
    if len(upper) == 2 and upper in dict(countries):
        return upper
    if len(upper) == 3:
        code = countries.alpha2(upper)
        return code or None
    code = countries.by_name(value)
    return code or None


def _passes(validator: Callable[[str], None], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _choice(value: str, choices: type[Any], default: str) -> str | None:
    value = value.strip().lower()
    if not value:
        return default
    for choice in choices:
        if value in {choice.value, str(choice.label).lower()}:
            return str(choice.value)
    return None


def parse_rows(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Check every row; return (clean rows, errors naming row number, column and problem)."""
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        headers = [h.strip() for h in (reader.fieldnames or [])]
        records = list(reader)
    except csv.Error as exc:  # e.g. a cell of more than 128 KB
        return [], [f"the file cannot be read as CSV: {exc}"]
    missing = REQUIRED - set(headers)
    unknown = set(headers) - set(COLUMNS)
    if missing:
        return [], [f"header: missing column(s) {', '.join(sorted(missing))}"]
    if unknown:
        errors.append(f"header: unknown column(s) {', '.join(sorted(unknown))} (known: {', '.join(COLUMNS)})")
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(records, start=2):  # row 1 is the header
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        row_errors: list[str] = []

        def bad(column: str, problem: str, errs: list[str] = row_errors, n: int = number) -> None:
            errs.append(f"row {n}, {column}: {problem}")

        name = raw.get("name", "")
        if not name:
            bad("name", "required")
        slug = slugify(raw.get("slug") or name)[:80]
        if name and not slug:
            bad("slug", "cannot make a slug from this name; give one")
        if slug in RESERVED_SLUGS:
            bad("slug", f"{slug!r} is reserved")
        if slug and slug in seen:
            bad("slug", f"{slug!r} repeats row {seen[slug]}")
        seen.setdefault(slug, number)
        org_type = _choice(raw.get("type", ""), Organisation.Type, Organisation.Type.NGO)
        if org_type is None:
            bad("type", f"{raw['type']!r} is not one of {', '.join(Organisation.Type.values)}")
        country = _country(raw.get("country", ""))
        if country is None:
            bad("country", f"{raw['country']!r} is not a country (use ISO codes such as NO or NOR)")
        status = _choice(raw.get("status", ""), Organisation.Status, Organisation.Status.MEMBER)
        if status is None:
            bad("status", f"{raw['status']!r} is not one of {', '.join(Organisation.Status.values)}")
        website = raw.get("website", "")
        if website and not _passes(URLValidator(), website):
            bad("website", f"{website!r} is not a web address (start with https://)")
        contact_email = raw.get("contact_email", "")
        if contact_email and not _passes(EmailValidator(), contact_email):
            bad("contact_email", f"{contact_email!r} is not an e-mail address")
        joined_on = None
        if raw.get("joined_on"):
            try:
                joined_on = date.fromisoformat(raw["joined_on"])
            except ValueError:
                bad("joined_on", f"{raw['joined_on']!r} is not a date (YYYY-MM-DD)")
        flags = {}
        for column in ("founding_member", "steering_committee"):
            value = raw.get(column, "").lower()
            if value in _YES:
                flags[column] = True
            elif value in _NO:
                flags[column] = False
            else:
                bad(column, f"{raw[column]!r}: expected yes or no")
        # PostgreSQL refuses a value longer than its column (SQLite stores it): say so here, row by row.
        for column, max_length in MAX_LENGTHS.items():
            value = raw.get(column, "")
            if max_length is not None and len(value) > max_length:
                bad(column, f"{len(value)} characters, at most {max_length}")
            # The rules of the forms (decision 0015): one line for a name, no NUL or control character anywhere.
            try:
                (validate_text if column == "description" else validate_single_line)(value)
            except ValidationError as exc:
                bad(column, exc.messages[0])
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            {
                "name": name,
                "slug": slug,
                "type": org_type,
                "country": country,
                "city": raw.get("city", ""),
                "website": website,
                "description": raw.get("description", ""),
                "languages": raw.get("languages", ""),
                "joined_on": joined_on,
                "founding_member": flags["founding_member"],
                "steering_committee": flags["steering_committee"],
                "contact_email": contact_email,
                "status": status,
            }
        )
    if not rows and not errors:
        errors.append("the file has no rows")
    return rows, errors


def organisations_import(*, text: str, dry_run: bool, by: User | Actor) -> ImportReport:
    """Create or update (by slug) every organisation in the CSV; raise ImportRejected with every bad row.

    An import is one decision: one audit entry, not one per organisation whose status it sets."""
    rows, errors = parse_rows(text)
    if errors:
        raise ImportRejected(errors)
    existing = {org.slug: org for org in Organisation.objects.filter(slug__in=[row["slug"] for row in rows])}
    report = ImportReport(dry_run=dry_run)
    for row in rows:
        (report.to_update if row["slug"] in existing else report.to_create).append(row["name"])
    if dry_run:
        return report
    with transaction.atomic():
        for row in rows:
            on_committee = row.pop("steering_committee")
            status = row.pop("status")
            organisation = existing.get(row["slug"])
            if organisation is None:
                organisation = Organisation.objects.create(**row, status=Organisation.Status.APPLICANT)
            else:
                for key, value in row.items():
                    setattr(organisation, key, value)
                organisation.save()
            organisation_set_status(
                organisation=organisation, status=status, by=by, note="CSV import", stamp_joined=False, audited=False
            )
            has_seat = organisation.seats.filter(ended_on__isnull=True).exists()
            if on_committee and not has_seat:
                SteeringCommitteeSeat.objects.create(organisation=organisation)
        audit_record(
            by=by,
            action="organisations.import",
            target=None,
            label=f"CSV import: {report.summary}",
            detail={"created": len(report.to_create), "updated": len(report.to_update)},
        )
    return report
