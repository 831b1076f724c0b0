"""The officials file's columns, and the checks of each row (a CSV file's, or a Popolo file's read as one)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from coalition.letters.models import Role
from coalition.states.models import State

COLUMNS = [
    "position_id",
    "state",
    "role",
    "title",
    "constituency",
    "person_id",
    "person_name",
    "wikidata",
    "email",
    "postal_address",
    "language",
    "party",
    "start_date",
    "end_date",
    "source",
    "verified_on",
]
REQUIRED = ("position_id", "state", "title")
WIKIDATA = re.compile(r"^Q[1-9][0-9]{0,17}$")


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
    wikidata: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)
    email: str = ""
    postal_address: str = ""
    language: str = ""
    party: str = ""
    start: date | None = None
    end: date | None = None
    source: str = ""
    verified_on: date | None = None


def _date(value: str, line: int, column: str, errors: list[str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors.append(f"row {line}: {column}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def role_of(value: str) -> str | None:
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
    role = role_of(raw.get("role", ""))
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
    for column, value in (("position_id", raw.get("position_id")), ("person_id", person_key)):
        if len((value or "").strip()) > 200:
            errors.append(f"row {line}: {column}: longer than 200 characters")
    wikidata = (raw.get("wikidata") or "").strip().upper()
    if wikidata and not WIKIDATA.match(wikidata):
        errors.append(f"row {line}: wikidata: {wikidata!r} is not a Wikidata item (Q followed by digits)")
    start = _date(raw.get("start_date", ""), line, "start_date", errors)
    end = _date(raw.get("end_date", ""), line, "end_date", errors)
    verified = _date(raw.get("verified_on", ""), line, "verified_on", errors)
    if start and end and end < start:
        errors.append(f"row {line}: end_date: before start_date")
    if len(errors) > before:
        return None
    try:
        identifiers = json.loads(raw.get("identifiers") or "{}")
    except ValueError:
        identifiers = {}
    if not isinstance(identifiers, dict):
        identifiers = {}
    if wikidata:
        identifiers.setdefault("wikidata", wikidata)
    return OfficialRow(
        line=line,
        position_key=raw["position_id"].strip(),
        state=iso3,
        role=role or Role.OTHER,
        title=raw["title"].strip()[:200],
        constituency=(raw.get("constituency") or "").strip()[:200],
        person_key=person_key or (f"name:{name.lower()}" if name else ""),
        person_name=name[:200],
        wikidata=wikidata,
        identifiers=identifiers if person_key or name else {},
        email=email,
        postal_address=(raw.get("postal_address") or "").strip(),
        language=(raw.get("language") or "").strip()[:10],
        party=(raw.get("party") or "").strip()[:200],
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


def check_rows(raw_rows: list[dict[str, str]], first_line: int = 2) -> tuple[list[OfficialRow], list[str]]:
    states = set(State.objects.values_list("iso3", flat=True))
    errors: list[str] = []
    rows: list[OfficialRow] = []
    open_seen: dict[str, int] = {}
    seen: dict[tuple[str, str, str], int] = {}
    wikidata_of: dict[str, tuple[str, int]] = {}
    for offset, raw in enumerate(raw_rows):
        line = int(raw["line"]) if raw.get("line") else first_line + offset
        row = _check(raw, line, errors, states)
        if row is None:
            continue
        key = (row.position_key, row.person_key, str(row.start))
        if key in seen:
            errors.append(f"row {line}: duplicate of row {seen[key]} (same position, person and start date)")
            continue
        seen[key] = line
        if row.wikidata:
            other, other_line = wikidata_of.setdefault(row.wikidata, (row.person_key, line))
            if other != row.person_key:
                errors.append(f"row {line}: wikidata {row.wikidata} is also person {other!r} in row {other_line}")
                continue
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
