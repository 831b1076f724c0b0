"""Import officials from CSV or Popolo JSON: every row is checked, every bad or duplicate row reported,
then all or nothing. Re-importing updates positions in place and closes terms that ended.

Popolo comes in two shapes. Files that list their `posts` name each membership's post. EveryPolitician's
files (one per legislature) leave `posts` empty: a membership names the legislature (`organization_id`),
an area (often an Open Civic Data division id), a `role`, the party (`on_behalf_of_id`) and a
`legislative_period_id` whose event holds the dates. Posts are derived from legislature + area + role,
one position per seat (decision 0504).

Terms are matched to what is stored independently of the order of the rows: first the same person with
the same start date, then the same person over an overlapping period. An unchanged file imported again
changes nothing.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
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
OCD_COUNTRY = re.compile(r"^ocd-division/country:([a-z]{2})(?:/|$)")
# Names that EveryPolitician and similar sources give to "persons" that are no one: a seat's grouping
# (independents, non-partisans), a vacancy, an unknown member.
PLACEHOLDER_NAMES = {
    "vacant",
    "vacancy",
    "unknown",
    "independent",
    "independents",
    "non-partisan",
    "nonpartisan",
    "non partisan",
    "no party",
    "non-attached",
    "non-inscrits",
    "non-affiliated",
    "tba",
    "to be announced",
    "n/a",
    "none",
}
PROGRESS_EVERY = 500


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


# --- Popolo -------------------------------------------------------------------------------------------


@dataclass
class PopoloRead:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Membership:
    """One membership of a legislature, its dates resolved, waiting for a seat."""

    number: int
    person: dict[str, Any]
    person_key: str
    wikidata: str
    start: date | None
    end: date | None
    party: str
    source: str
    email: str


def _contact(item: dict[str, Any], kind: str) -> str:
    for detail in item.get("contact_details") or []:
        if isinstance(detail, dict) and detail.get("type") == kind:
            return str(detail.get("value") or "")
    return str(item.get(kind) or "")


def _popolo_email(person: dict[str, Any], *others: dict[str, Any], skipped: list[str]) -> str:
    """The first e-mail address among the person's (and the membership's, the post's) contact details.
    Sources hold lists ("a@x; b@y") and typos: a value with no valid address is reported and left out
    rather than refusing the whole legislature."""
    for item in (person, *others):
        value = _contact(item, "email")
        if not value:
            continue
        for candidate in re.split(r"[;,\s]+", value.strip()):
            try:
                validate_email(candidate)
            except ValidationError:
                continue
            return candidate.lower()
        note = (
            f"person {person.get('id')!r} ({person.get('name') or '?'}): e-mail {value!r} is not an address; left out"
        )
        if note not in skipped:
            skipped.append(note)
    return ""


def _identifiers(person: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in person.get("identifiers") or []:
        if isinstance(item, dict) and item.get("scheme") and item.get("identifier"):
            found.setdefault(str(item["scheme"])[:50], str(item["identifier"])[:200])
    return dict(sorted(found.items()))


def _popolo_date(value: Any, *, end: bool) -> str:
    """Popolo dates may be a year or a month: the earliest day for a start, the last for an end."""
    text = str(value or "").strip()[:10]
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:7])
        if 1 <= month <= 12:
            return f"{text}-{calendar.monthrange(year, month)[1]:02d}" if end else f"{text}-01"
    return text


def _as_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _placeholder_reason(person: dict[str, Any], organization_names: set[str]) -> str:
    name = str(person.get("name") or "").strip()
    if not name:
        return "has no name"
    folded = name.casefold()
    if folded in PLACEHOLDER_NAMES or person.get("classification") == "placeholder":
        return "is a placeholder, not a person"
    if folded in organization_names:
        return "is the name of a party or group, not a person"
    return ""


def _legislative_periods(events: list[Any]) -> dict[str, tuple[str, str]]:
    """Event id → (start, end) of each legislative period; a period without an end ends the day before the
    next period of the same legislature starts."""
    periods = [
        e for e in events if isinstance(e, dict) and e.get("classification") == "legislative period" and e.get("id")
    ]
    by_organization: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in periods:
        by_organization[str(event.get("organization_id") or "")].append(event)
    resolved: dict[str, tuple[str, str]] = {}
    for events_of_one in by_organization.values():
        events_of_one.sort(key=lambda e: _popolo_date(e.get("start_date"), end=False) or "0000")
        for index, event in enumerate(events_of_one):
            start = _popolo_date(event.get("start_date"), end=False)
            end = _popolo_date(event.get("end_date"), end=True)
            if not end and index + 1 < len(events_of_one):
                following = _as_date(_popolo_date(events_of_one[index + 1].get("start_date"), end=False))
                if following:
                    end = (following - timedelta(days=1)).isoformat()
            resolved[str(event["id"])] = (start, end)
    return resolved


def parse_popolo(text: str, *, state: str = "") -> PopoloRead:
    """Popolo JSON (persons, organizations, posts or not, memberships, events) → the CSV's columns.

    With posts: one row per membership of a post, the state being the post's or organization's `area_id`
    (ISO alpha-3 or an OCD division id); a post with no membership is a vacant position. Without a post:
    the position is derived from the membership's legislature, area and role, one per seat.
    """
    read = PopoloRead()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        read.errors.append(f"JSON: {exc}")
        return read
    if not isinstance(data, dict):
        read.errors.append("JSON: expected an object with persons, organizations, posts and memberships")
        return read
    persons = {str(p.get("id")): p for p in data.get("persons") or [] if isinstance(p, dict)}
    organizations = {str(o.get("id")): o for o in data.get("organizations") or [] if isinstance(o, dict)}
    posts = {str(p.get("id")): p for p in data.get("posts") or [] if isinstance(p, dict)}
    areas = {str(a.get("id")): a for a in data.get("areas") or [] if isinstance(a, dict)}
    periods = _legislative_periods(data.get("events") or [])
    organization_names = {str(o.get("name") or "").strip().casefold() for o in organizations.values() if o.get("name")}
    alpha2 = {str(country).upper(): iso3 for iso3, country in State.objects.values_list("iso3", "country")}
    held: set[str] = set()
    placeholders: dict[str, list[int]] = defaultdict(list)
    party_memberships = 0
    unresolved_areas: dict[str, int] = {}
    unknown_countries: dict[str, tuple[str, int]] = {}
    # (organization, area, role) → its memberships, seats handed out once all are read
    groups: dict[tuple[str, str, str], list[_Membership]] = defaultdict(list)
    group_state: dict[tuple[str, str, str], str] = {}
    for number, membership in enumerate(data.get("memberships") or [], start=1):
        if not isinstance(membership, dict):
            read.errors.append(f"membership {number}: expected an object")
            continue
        person = persons.get(str(membership.get("person_id")))
        post_id = membership.get("post_id")
        organization = organizations.get(str(membership.get("organization_id"))) or {}
        if not post_id and organization.get("classification") == "party":
            party_memberships += 1
            continue
        post = None
        if post_id is not None:
            post = posts.get(str(post_id))
            if post is None:
                read.errors.append(f"membership {number}: post_id {post_id!r} is not among the posts")
                continue
        elif not membership.get("organization_id"):
            read.errors.append(f"membership {number}: names neither a post (post_id) nor an organization_id")
            continue
        if person is None:
            read.errors.append(
                f"membership {number}: person_id {membership.get('person_id')!r} is not among the persons"
            )
            continue
        reason = _placeholder_reason(person, organization_names)
        if reason:
            placeholders[
                f"person {person.get('id')!r} ({str(person.get('name') or '').strip() or '?'}) {reason}"
            ].append(number)
            continue
        start, end = periods.get(str(membership.get("legislative_period_id") or ""), ("", ""))
        own_start = _popolo_date(membership.get("start_date"), end=False)
        own_end = _popolo_date(membership.get("end_date"), end=True)
        party = organizations.get(str(membership.get("on_behalf_of_id"))) or {}
        if post is not None:
            held.add(str(post.get("id")))
            row = _popolo_post_row(post, organizations, person, membership, alpha2, state, read.skipped)
            row.update(
                start_date=own_start or start,
                end_date=own_end or end,
                party=str(party.get("name") or ""),
                line=str(number),
            )
            read.rows.append(row)
            continue
        organization_id = str(membership.get("organization_id") or "")
        area_id = str(membership.get("area_id") or "")
        role = str(membership.get("role") or "member").strip() or "member"
        iso3 = _state_of(area_id, alpha2) or _state_of(str(organization.get("area_id") or ""), alpha2) or state
        if not iso3:
            unresolved_areas.setdefault(area_id or "(none)", number)
            continue
        if iso3.startswith("?"):
            unknown_countries.setdefault(area_id, (iso3[1:], number))
            continue
        group = (organization_id, area_id, role)
        if group_state.setdefault(group, iso3) != iso3:
            read.errors.append(f"membership {number}: area {area_id!r} is in {iso3}, not {group_state[group]}")
            continue
        end_text = own_end or end
        end_date = _as_date(end_text)
        if end_date and end_date > timezone.localdate() and not own_end:
            end_date = None  # the legislative period is still running: the member sits today
        groups[group].append(
            _Membership(
                number=number,
                person=person,
                person_key=str(person.get("id") or ""),
                wikidata=_identifiers(person).get("wikidata", "").upper(),
                start=_as_date(own_start or start),
                end=end_date,
                party=str(party.get("name") or ""),
                source="; ".join(
                    str(s.get("url") or s.get("note") or "")
                    for s in membership.get("sources") or []
                    if isinstance(s, dict)
                ),
                email=_popolo_email(person, membership, skipped=read.skipped),
            )
        )
        if (own_start and not _as_date(own_start)) or (end_text and not _as_date(end_text)):
            read.errors.append(f"membership {number}: dates {own_start or start!r}–{end_text!r} are not YYYY-MM-DD")
    for area_id, number in unresolved_areas.items():
        read.errors.append(
            f"membership {number}: no state for area {area_id!r} (not an Open Civic Data division id "
            "ocd-division/country:xx/…); give the state with --state ISO3"
        )
    for area_id, (country, number) in unknown_countries.items():
        read.errors.append(f"membership {number}: area {area_id!r}: country {country!r} is not among the states")
    for description, numbers in sorted(placeholders.items()):
        read.skipped.append(f"skipped {len(numbers)} membership(s) of {description}")
    if party_memberships:
        read.skipped.append(f"skipped {party_memberships} party membership(s): a party is not a position")
    for group, memberships in sorted(groups.items()):
        read.rows += _seat_rows(group, group_state[group], memberships, organizations, areas)
    for post_id, post in posts.items():
        if post_id not in held:
            read.rows.append(_popolo_post_row(post, organizations, None, {}, alpha2, state, read.skipped))
    return read


def _state_of(area_id: str, alpha2: dict[str, str]) -> str:
    match = OCD_COUNTRY.match(area_id.strip().lower())
    if match:
        return alpha2.get(match.group(1).upper(), f"?{match.group(1)}")
    return ""


def _popolo_post_row(
    post: dict[str, Any],
    organizations: dict[str, Any],
    person: dict[str, Any] | None,
    membership: dict[str, Any],
    alpha2: dict[str, str],
    state: str,
    skipped: list[str],
) -> dict[str, str]:
    organization = organizations.get(str(post.get("organization_id"))) or {}
    area = str(post.get("area_id") or organization.get("area_id") or "")
    area = _state_of(area, alpha2) or area or state
    row = {
        "position_id": str(post.get("id") or ""),
        "state": area,
        "role": str(post.get("role") or ""),
        "title": str(post.get("label") or ""),
        "constituency": str(post.get("constituency") or (post.get("area") or {}).get("name", "") or ""),
        "start_date": _popolo_date(membership.get("start_date"), end=False),
        "end_date": _popolo_date(membership.get("end_date"), end=True),
        "source": "; ".join(str(s.get("url") or s.get("note") or "") for s in membership.get("sources") or []),
        "verified_on": str(membership.get("verified_on") or post.get("verified_on") or ""),
    }
    if person is not None:
        identifiers = _identifiers(person)
        row.update(
            person_id=str(person.get("id") or ""),
            person_name=str(person.get("name") or ""),
            wikidata=identifiers.get("wikidata", ""),
            identifiers=json.dumps(identifiers),
            email=_popolo_email(person, membership, post, skipped=skipped),
            postal_address=_contact(person, "address") or _contact(post, "address"),
            language=str(person.get("language") or ""),
        )
    return row


def group_key(organization_id: str, area_id: str, role: str) -> str:
    """The stable prefix of the positions derived for one legislature, area and role (`…#1`, `…#2`…)."""
    key = f"popolo:{organization_id}|{area_id}|{role}"
    if len(key) > 180:
        key = "popolo:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _seat_rows(
    group: tuple[str, str, str],
    iso3: str,
    memberships: list[_Membership],
    organizations: dict[str, Any],
    areas: dict[str, Any],
) -> list[dict[str, str]]:
    """Hand out the seats of one area: the order of the file does not matter, a person keeps the seat they
    held before (earlier in the file, or as stored), and memberships that overlap in time sit in
    different seats. A person's overlapping memberships (a change of party, say) are one term."""
    organization_id, area_id, role = group
    prefix = group_key(*group)
    by_person: dict[str, list[_Membership]] = defaultdict(list)
    for item in memberships:
        by_person[item.person_key].append(item)
    merged: list[_Membership] = []
    for items in by_person.values():
        items.sort(key=lambda m: (m.start or date.min, m.end or date.max, m.number))
        current = items[0]
        for item in items[1:]:
            if (item.start or date.min) <= (current.end or date.max):  # overlaps: one term, the later party
                current = _Membership(
                    number=current.number,
                    person=current.person,
                    person_key=current.person_key,
                    wikidata=current.wikidata,
                    start=current.start,
                    end=None if current.end is None or item.end is None else max(current.end, item.end),
                    party=item.party or current.party,
                    source=current.source or item.source,
                    email=current.email or item.email,
                )
            else:
                merged.append(current)
                current = item
        merged.append(current)
    exact, latest = _stored_seats(prefix)
    merged.sort(key=lambda m: (m.start or date.min, m.end or date.max, m.person_key))
    seat_ends: list[date] = []  # the end of the last term in each seat (date.max while it is open)
    seat_of_person: dict[str, int] = {}
    seats: list[tuple[_Membership, int]] = []
    # Seats someone still to be placed will want (stored for them, or theirs earlier in the file): a
    # newcomer takes another free seat, so re-elected members keep theirs.
    remaining: Counter[str] = Counter(item.person_key for item in merged)
    stored_wish: Counter[int] = Counter()
    wishes: list[int | None] = []
    for item in merged:
        who = [w for w in (item.wikidata, item.person_key) if w]
        wish = next(
            (s for s in [exact.get((w, item.start)) for w in who] + [latest.get(w) for w in who] if s is not None), None
        )
        wishes.append(wish)
        if wish is not None:
            stored_wish[wish] += 1
    for item, wish in zip(merged, wishes, strict=True):
        begins = item.start or date.min
        free = [i for i, last in enumerate(seat_ends) if last != date.max and last <= begins]
        who = [w for w in (item.wikidata, item.person_key) if w]
        wanted = (
            [exact.get((w, item.start)) for w in who]  # where this very term is stored
            + [seat_of_person.get(item.person_key)]  # where they sat earlier in the file
            + [latest.get(w) for w in who]  # where they sat last, as stored
        )
        if wish is not None:
            stored_wish[wish] -= 1
        remaining[item.person_key] -= 1
        seat = next((i for i in wanted if i is not None and (i in free or i >= len(seat_ends))), None)
        if seat is None:
            reserved = {s for p, s in seat_of_person.items() if remaining[p] > 0} | {
                s for s, count in stored_wish.items() if count > 0
            }
            seat = next((i for i in free if i not in reserved), free[0] if free else len(seat_ends))
        while len(seat_ends) <= seat:
            seat_ends.append(date.min)
        seat_ends[seat] = item.end or date.max
        seat_of_person[item.person_key] = seat
        seats.append((item, seat))
    legislature = str((organizations.get(organization_id) or {}).get("name") or organization_id or "")
    area = areas.get(area_id) or {}
    area_name = str(area.get("name") or "") or (area_id.rsplit(":", 1)[-1] if area_id else "")
    is_legislature = (organizations.get(organization_id) or {}).get("classification") in ("legislature", "", None)
    role_value = _role(role)
    if role.lower() == "member" and is_legislature:
        role_value = str(Role.MEMBER_OF_PARLIAMENT)
    base_title = f"{role[:1].upper()}{role[1:]} of {legislature}" + (f" for {area_name}" if area_name else "")
    rows = []
    for item, seat in seats:
        identifiers = _identifiers(item.person)
        rows.append(
            {
                "position_id": f"{prefix}#{seat + 1}",
                "state": iso3,
                "role": role_value or str(Role.OTHER),
                "title": base_title + (f" (seat {seat + 1})" if seat else ""),
                "constituency": area_name,
                "person_id": item.person_key,
                "person_name": str(item.person.get("name") or ""),
                "wikidata": item.wikidata,
                "identifiers": json.dumps(identifiers),
                "email": item.email,
                "postal_address": _contact(item.person, "address"),
                "language": str(item.person.get("language") or ""),
                "party": item.party,
                "start_date": item.start.isoformat() if item.start else "",
                "end_date": item.end.isoformat() if item.end else "",
                "source": item.source,
                "line": str(item.number),
            }
        )
    rows.sort(key=lambda r: int(r["line"]))
    return rows


def _stored_seats(prefix: str) -> tuple[dict[tuple[str, date | None], int], dict[str, int]]:
    """Who sat where, as stored: (person key or Wikidata item, start) → seat index, and person key or
    Wikidata item → the seat of their latest term."""
    exact: dict[tuple[str, date | None], int] = {}
    latest: dict[str, int] = {}
    terms = (
        Term.objects.filter(position__key__startswith=prefix + "#")
        .order_by("started_on", "pk")
        .values_list("position__key", "person__key", "person__wikidata", "started_on")
    )
    for key, person_key, wikidata, started_on in terms:
        try:
            seat = int(key.rsplit("#", 1)[1]) - 1
        except ValueError:
            continue
        for who in (person_key, wikidata):
            if who:
                exact[(who, started_on)] = seat
                latest[who] = seat
    return exact, latest


# --- Checking and applying ----------------------------------------------------------------------------


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
