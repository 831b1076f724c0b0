"""EveryPolitician's seats: its files name no posts, so each legislature, area and role gets one position per
seat, and each membership a seat (decision 0504)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from coalition.letters.models import Term


@dataclass
class Membership:
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


def group_key(organization_id: str, area_id: str, role: str) -> str:
    """The stable prefix of the positions derived for one legislature, area and role (`…#1`, `…#2`…)."""
    key = f"popolo:{organization_id}|{area_id}|{role}"
    if len(key) > 180:
        key = "popolo:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def seats_hand_out(prefix: str, memberships: list[Membership]) -> list[tuple[Membership, int]]:
    """Hand out the seats of one area: the order of the file does not matter, a person keeps the seat they
    held before (earlier in the file, or as stored), and memberships that overlap in time sit in
    different seats. A person's overlapping memberships (a change of party, say) are one term."""
    by_person: dict[str, list[Membership]] = defaultdict(list)
    for item in memberships:
        by_person[item.person_key].append(item)
    merged: list[Membership] = []
    for items in by_person.values():
        items.sort(key=lambda m: (m.start or date.min, m.end or date.max, m.number))
        current = items[0]
        for item in items[1:]:
            if (item.start or date.min) <= (current.end or date.max):  # overlaps: one term, the later party
                current = Membership(
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
    seats: list[tuple[Membership, int]] = []
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
    return seats


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
