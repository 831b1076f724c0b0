"""Read and check the reference CSV files; every bad row is named (row number as a spreadsheet shows it, field).

Nothing here writes: `reference_updates.reference_update` compares the checked rows with the database and applies them.
Row numbers count the header as row 1, so the first state is row 2, as in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.text import slugify
from django_countries import countries

from coalition.lib.imports import ImportRejected
from coalition.states import treaty

DATA_DIR = Path(__file__).resolve().parent / "data"

STATUSES = {treaty.STATE_PARTY, treaty.SIGNATORY, treaty.NON_SIGNATORY}
METHODS = {treaty.RATIFICATION, treaty.ACCESSION}
MEETING_KINDS = {
    "oslo_process_conference",
    "diplomatic_conference",
    "signing_conference",
    "meeting_of_states_parties",
    "review_conference",
    "other",
}
REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}


@dataclass(frozen=True)
class PlannedEvent:
    iso3: str
    kind: str
    date: date
    source: str = ""
    derived: bool = False
    note: str = ""


@dataclass
class StateRow:
    row: int
    iso3: str
    name: str
    status: str
    events: list[PlannedEvent] = field(default_factory=list)


@dataclass(frozen=True)
class FactRow:
    iso3: str
    kind: str
    value: str
    as_of: date
    source: str
    note: str = ""
    as_of_label: str = ""  # the source's own wording where it gives no exact date


@dataclass(frozen=True)
class MeasureRow:
    """A completed stockpile destruction, as the facts file records it (the year, and quantities where exact)."""

    iso3: str
    year: int
    source: str
    description: str
    munitions_destroyed: int | None = None
    submunitions_destroyed: int | None = None


@dataclass(frozen=True)
class MeetingRow:
    row: int
    slug: str
    name: str
    kind: str
    city: str
    country_iso3: str
    start: date | None
    end: date | None


@dataclass
class ReferenceData:
    """Everything one load brings: states with their events, regions, facts and meetings (each optional)."""

    states: list[StateRow] = field(default_factory=list)
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)
    facts: list[FactRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)


class _Errors:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[str] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(f"{self.filename} row {row}, {column}: {message}")

    def known_iso3(self, row: int, column: str, value: str, *, any_case: bool = False) -> bool:
        """Whether `value` is a country's ISO 3166 alpha-3 code (in capitals, unless `any_case`); if not, says so."""
        if _known_iso3(value.upper() if any_case else value):
            return True
        self.add(row, column, f"unknown ISO 3166 alpha-3 code {value!r}")
        return False

    def raise_any(self) -> None:
        """Refuse the file if any row was wrong, with every error found."""
        if self.items:
            raise ImportRejected(self.items)


def _rows(text: str, required: Iterable[str], errors: _Errors) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        errors.add(1, ", ".join(missing), "missing column(s) in the header")
        return []
    return [(number, {k: (v or "").strip() for k, v in row.items() if k}) for number, row in enumerate(reader, start=2)]


def _date(value: str, row: int, column: str, errors: _Errors) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(row, column, f"{value!r} is not a date (YYYY-MM-DD)")
        return None


def _known_iso3(iso3: str) -> bool:
    return len(iso3) == 3 and iso3.isupper() and bool(countries.alpha2(iso3))


def read_states(
    text: str,
    *,
    sources: dict[str, tuple[str, bool]] | None = None,
    withdrawals: str = "",
    as_of: date,
    default_source: str,
    filename: str = "ccm_states.csv",
    treaty_rules: treaty.Treaty = treaty.CCM,
) -> list[StateRow]:
    """Check `ccm_states.csv` (and `ccm_withdrawals.csv`) and turn each row into its dated events.

    `sources` maps ISO3 to (source text, entry into force derived by Article 17) where known.
    """
    errors = _Errors(filename)
    sources = sources or {}
    header = ["iso3", "name", "status", "signed", "ratified_or_acceded", "method", "entry_into_force"]
    states: list[StateRow] = []
    seen: set[str] = set()
    opened = treaty_rules.opened_for_signature
    for number, row in _rows(text, header, errors):
        iso3, status, method = row["iso3"].upper(), row["status"], row["method"]
        if not errors.known_iso3(number, "iso3", row["iso3"], any_case=True):
            continue
        if iso3 in seen:
            errors.add(number, "iso3", f"{iso3} appears twice")
            continue
        seen.add(iso3)
        if not row["name"]:
            errors.add(number, "name", "is empty")
        if status not in STATUSES:
            errors.add(number, "status", f"{status!r} is not one of {', '.join(sorted(STATUSES))}")
        signed = _date(row["signed"], number, "signed", errors)
        deposited = _date(row["ratified_or_acceded"], number, "ratified_or_acceded", errors)
        eif = _date(row["entry_into_force"], number, "entry_into_force", errors)
        for column, value in (("signed", signed), ("ratified_or_acceded", deposited), ("entry_into_force", eif)):
            if value is not None and value < opened:
                errors.add(number, column, f"{value} is before the treaty opened for signature ({opened})")
        if method and method not in METHODS:
            errors.add(number, "method", f"{method!r} is not one of accession, ratification")
        if deposited and not method:
            errors.add(number, "method", "is empty but a ratification or accession date is given")
        if method and not deposited and not row["ratified_or_acceded"]:
            errors.add(number, "ratified_or_acceded", f"is empty but the method is {method}")
        if deposited and method == treaty.RATIFICATION and not signed and not row["signed"]:
            errors.add(number, "signed", "a ratification needs a signature date; only an accession comes without one")
        if deposited and method == treaty.ACCESSION and signed:
            errors.add(number, "method", "a state that signed joins by ratification, not accession")
        if signed and deposited and signed > deposited:
            errors.add(number, "ratified_or_acceded", f"{deposited} is before the signature ({signed})")
        if eif and not deposited:
            errors.add(number, "entry_into_force", "is given without a ratification or accession date")
        source, eif_derived = sources.get(iso3, (default_source, False))
        state = StateRow(row=number, iso3=iso3, name=row["name"], status=status)
        if signed:
            state.events.append(PlannedEvent(iso3, treaty.SIGNATURE, signed, source))
        if deposited and method in METHODS:
            state.events.append(PlannedEvent(iso3, method, deposited, source))
            rule = treaty.entry_into_force_for(deposited, treaty_rules)
            if eif is None:
                # Article 17: the date follows from the deposit; mark it as computed, not read.
                state.events.append(PlannedEvent(iso3, treaty.ENTRY_INTO_FORCE, rule, source, derived=True))
            elif eif != rule:
                errors.add(number, "entry_into_force", f"{eif} differs from the Article 17 date {rule}")
            else:
                state.events.append(PlannedEvent(iso3, treaty.ENTRY_INTO_FORCE, eif, source, derived=eif_derived))
        states.append(state)

    by_iso3 = {state.iso3: state for state in states}
    if withdrawals:
        w_errors = _Errors("ccm_withdrawals.csv")
        for number, row in _rows(withdrawals, ["iso3", "event", "date", "source"], w_errors):
            iso3 = row["iso3"].upper()
            if not w_errors.known_iso3(number, "iso3", row["iso3"], any_case=True):
                continue
            if iso3 not in by_iso3:
                w_errors.add(number, "iso3", f"{iso3} is not in the states file")
                continue
            if row["event"] != treaty.WITHDRAWAL_EFFECTIVE:
                w_errors.add(number, "event", f"{row['event']!r} is not {treaty.WITHDRAWAL_EFFECTIVE}")
                continue
            when = _date(row["date"], number, "date", w_errors)
            if when is None:
                if not row["date"]:
                    w_errors.add(number, "date", "is empty")
                continue
            if when < opened:
                w_errors.add(number, "date", f"{when} is before the treaty opened for signature ({opened})")
                continue
            by_iso3[iso3].events.append(PlannedEvent(iso3, treaty.WITHDRAWAL_EFFECTIVE, when, row["source"]))
        errors.items.extend(w_errors.items)

    for state in states:
        if state.status not in STATUSES:
            continue
        events = [treaty.StatusEvent(e.kind, e.date, e.derived) for e in state.events]
        derived = treaty.derive_status(events, on=as_of).status
        if derived != state.status:
            errors.add(state.row, "status", f"says {state.status} but the dated events give {derived}")
    errors.raise_any()
    return states


def read_state_sources(text: str) -> dict[str, tuple[str, bool]]:
    """`ccm_state_sources.csv`: per state, the sources of its dates and whether SOURCES.md marks its EIF derived."""
    errors = _Errors("ccm_state_sources.csv")
    result = {}
    for number, row in _rows(text, ["iso3", "entry_into_force_derived", "source"], errors):
        if not errors.known_iso3(number, "iso3", row["iso3"]):
            continue
        result[row["iso3"]] = (row["source"], row["entry_into_force_derived"] == "yes")
    errors.raise_any()
    return result


def read_regions(text: str) -> dict[str, tuple[str, str]]:
    errors = _Errors("state_regions.csv")
    result = {}
    for number, row in _rows(text, ["iso3", "region", "subregion"], errors):
        if not errors.known_iso3(number, "iso3", row["iso3"]):
            continue
        if row["region"] not in REGIONS:
            errors.add(number, "region", f"{row['region']!r} is not one of {', '.join(sorted(REGIONS))}")
        else:
            result[row["iso3"]] = (row["region"], row["subregion"])
    errors.raise_any()
    return result


def read_contamination(text: str) -> list[FactRow]:
    """`cm_contamination.csv` as "affected by remnants" facts; "other areas" without an ISO code are not states."""
    errors = _Errors("cm_contamination.csv")
    facts = []
    header = ["iso3", "name", "area_type", "contamination_status", "as_of", "source", "note"]
    for number, row in _rows(text, header, errors):
        if row["area_type"] != "state":
            continue
        if not errors.known_iso3(number, "iso3", row["iso3"]):
            continue
        value = {"contaminated": "yes", "unclear": "unclear"}.get(row["contamination_status"])
        if value is None:
            errors.add(
                number, "contamination_status", f"{row['contamination_status']!r} is not contaminated or unclear"
            )
            continue
        as_of = _date(row["as_of"], number, "as_of", errors)
        if as_of is None:
            if not row["as_of"]:
                errors.add(number, "as_of", "is empty")
            continue
        facts.append(FactRow(row["iso3"], "affected", value, as_of, row["source"], row["note"]))
    errors.raise_any()
    return facts


# cm_state_facts.csv's `fact` column → (StateFact.Kind, StateFact.Value).
STATE_FACTS = {
    "producer_current": ("producer", "yes"),
    "producer_past": ("producer", "former"),
    "stockpiler_current": ("stockpiler", "yes"),
    "stockpile_destroyed": ("stockpiler", "former"),
    "user_since_1945": ("past_user", "yes"),
    "transfer_recorded": ("transferred", "yes"),
}
_AS_OF = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?!\d)")
_QUANTITIES = re.compile(r"^([\d,]+) cluster (?:munitions|bombs)(?: / ([\d,]+) submunitions(?![\w.]))?")


def parse_as_of(value: str) -> tuple[date, str] | None:
    """("2016-08-08" → that day, ""); a vaguer wording → (its first year or month, the wording itself)."""
    match = _AS_OF.search(value)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return parsed, ("" if match[0] == value and match[3] else value)


def read_state_facts(text: str) -> tuple[list[FactRow], list[MeasureRow]]:
    """`cm_state_facts.csv`: producers, stockpilers, users, transfers, and completed stockpile destructions."""
    errors = _Errors("cm_state_facts.csv")
    facts: list[FactRow] = []
    measures: list[MeasureRow] = []
    header = ["iso3", "fact", "value", "as_of", "source_title", "source_url", "note"]
    for number, row in _rows(text, header, errors):
        if not errors.known_iso3(number, "iso3", row["iso3"]):
            continue
        if row["fact"] not in STATE_FACTS:
            errors.add(number, "fact", f"{row['fact']!r} is not one of {', '.join(sorted(STATE_FACTS))}")
            continue
        as_of = parse_as_of(row["as_of"])
        if as_of is None:
            errors.add(number, "as_of", f"{row['as_of']!r} holds no year (YYYY, YYYY-MM or YYYY-MM-DD)")
            continue
        if not row["source_title"]:
            errors.add(number, "source_title", "is empty: every fact says where it comes from")
            continue
        source = " — ".join(part for part in (row["source_title"], row["source_url"]) if part)
        kind, value = STATE_FACTS[row["fact"]]
        note = row["note"]
        if row["fact"] == "stockpile_destroyed":
            if not (row["value"].isdigit() and len(row["value"]) == 4):
                errors.add(number, "value", f"{row['value']!r} is not the year the destruction was completed")
                continue
            quantities = _QUANTITIES.match(note)
            measures.append(
                MeasureRow(
                    iso3=row["iso3"],
                    year=int(row["value"]),
                    source=source,
                    description=note,
                    munitions_destroyed=int(quantities[1].replace(",", "")) if quantities else None,
                    submunitions_destroyed=(
                        int(quantities[2].replace(",", "")) if quantities and quantities[2] else None
                    ),
                )
            )
            note = f"stockpile destruction completed in {row['value']}; {note}" if note else ""
        elif row["value"] != "yes":
            errors.add(number, "value", f"{row['value']!r} is not yes")
            continue
        facts.append(FactRow(row["iso3"], kind, value, as_of[0], source, note, as_of[1]))
    errors.raise_any()
    return facts, measures


def read_meetings(text: str) -> list[MeetingRow]:
    errors = _Errors("ccm_meetings.csv")
    meetings = []
    slugs: set[str] = set()
    for number, row in _rows(text, ["name", "kind", "city", "country_iso3", "start", "end"], errors):
        if not row["name"]:
            errors.add(number, "name", "is empty")
            continue
        if row["kind"] not in MEETING_KINDS:
            errors.add(number, "kind", f"{row['kind']!r} is not one of {', '.join(sorted(MEETING_KINDS))}")
        iso3 = row["country_iso3"].upper()
        if iso3:
            errors.known_iso3(number, "country_iso3", row["country_iso3"], any_case=True)
        start = _date(row["start"], number, "start", errors)
        end = _date(row["end"], number, "end", errors)
        if start and end and end < start:
            errors.add(number, "end", f"{end} is before the start ({start})")
        slug = slugify(row["name"])[:120]
        if slug in slugs:
            errors.add(number, "name", "appears twice")
        slugs.add(slug)
        meetings.append(MeetingRow(number, slug, row["name"], row["kind"], row["city"], iso3, start, end))
    errors.raise_any()
    return meetings


def read_shipped(*, as_of: date) -> ReferenceData:
    """The reference data that ships in `coalition/states/data/` (see SOURCES.md there)."""

    def text(name: str) -> str:
        return (DATA_DIR / name).read_text(encoding="utf-8")

    errors: list[str] = []
    data = ReferenceData()
    default_source = f"Reference data as of {as_of} (coalition/states/data/SOURCES.md)"
    try:
        sources = read_state_sources(text("ccm_state_sources.csv"))
    except ImportRejected as exc:
        errors.extend(exc.errors)
        sources = {}
    readers = [
        (
            "states",
            lambda: read_states(
                text("ccm_states.csv"),
                sources=sources,
                withdrawals=text("ccm_withdrawals.csv"),
                as_of=as_of,
                default_source=default_source,
            ),
        ),
        ("regions", lambda: read_regions(text("state_regions.csv"))),
        ("facts", lambda: read_contamination(text("cm_contamination.csv"))),
        ("meetings", lambda: read_meetings(text("ccm_meetings.csv"))),
    ]
    for attribute, reader in readers:
        try:
            setattr(data, attribute, reader())
        except ImportRejected as exc:
            errors.extend(exc.errors)
    try:
        facts, data.measures = read_state_facts(text("cm_state_facts.csv"))
        data.facts = [*data.facts, *facts]
    except ImportRejected as exc:
        errors.extend(exc.errors)
    if errors:
        raise ImportRejected(errors)
    return data
