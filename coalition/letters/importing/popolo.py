"""Popolo JSON (persons, organizations, posts or not, memberships, events) read as the rows of an officials file.

Popolo comes in two shapes. Files that list their `posts` name each membership's post. EveryPolitician's
files (one per legislature) leave `posts` empty: a membership names the legislature (`organization_id`),
an area (often an Open Civic Data division id), a `role`, the party (`on_behalf_of_id`) and a
`legislative_period_id` whose event holds the dates. Posts are derived from legislature + area + role,
one position per seat (`seats`, decision 0504).
"""

from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from coalition.letters.importing.rows import role_of
from coalition.letters.importing.seats import Membership, group_key, seats_hand_out
from coalition.letters.models import Role
from coalition.states.models import State

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


@dataclass
class PopoloRead:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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
    groups: dict[tuple[str, str, str], list[Membership]] = defaultdict(list)
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
            Membership(
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


def _seat_rows(
    group: tuple[str, str, str],
    iso3: str,
    memberships: list[Membership],
    organizations: dict[str, Any],
    areas: dict[str, Any],
) -> list[dict[str, str]]:
    """The rows of one legislature's seats in one area, titled after the legislature, the area and the role."""
    organization_id, area_id, role = group
    prefix = group_key(*group)
    seats = seats_hand_out(prefix, memberships)
    legislature = str((organizations.get(organization_id) or {}).get("name") or organization_id or "")
    area = areas.get(area_id) or {}
    area_name = str(area.get("name") or "") or (area_id.rsplit(":", 1)[-1] if area_id else "")
    is_legislature = (organizations.get(organization_id) or {}).get("classification") in ("legislature", "", None)
    role_value = role_of(role)
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
