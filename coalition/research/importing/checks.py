"""The full checks of one casualty row: every problem and warning named with its row and field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.lib.csv_export import FORMULA_PREFIXES
from coalition.research import validation
from coalition.research.importing.spec import (
    CHOICES,
    COUNT_FIELDS,
    DEFAULTS,
    LEGACY_BREAKDOWNS,
    MAX_LENGTHS,
    SEX_AND_AGE,
    Problem,
)
from coalition.research.models import OUTCOMES
from coalition.states.models import State


def unneutralised(text: str) -> str:
    """A cell as it was before an export neutralised it for spreadsheets (`lib.csv_export.safe_cell` puts a `'`
    before text that would run as a formula): so a re-imported export gives back the same text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _not_one_of(row: int, name: str, text: str, allowed: Iterable[str]) -> Problem:
    """The problem of a cell that is not one of the column's values (which it lists)."""
    return Problem(
        row, name, _("%(value)r is not one of %(allowed)s") % {"value": text, "allowed": ", ".join(sorted(allowed))}
    )


class RowChecker:
    """Turns one row's cells into checked values, or problems naming the field."""

    def __init__(self, *, default_source: str) -> None:
        states = State.objects.values_list("iso3", "country")
        self.iso3: dict[str, str] = {}
        for iso3, alpha2 in states:
            self.iso3[iso3] = iso3
            self.iso3[str(alpha2)] = iso3
        self.today = timezone.localdate()
        self.default_source = default_source

    def _date(self, text: str, name: str, problems: list[Problem], row: int) -> date | None:
        try:
            value = date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": text}))
            return None
        problem = validation.date_problem(value, today=self.today)
        if problem:
            problems.append(Problem(row, name, f"{text} {problem}"))
            return None
        return value

    def _count(self, text: str, name: str, problems: list[Problem], row: int) -> int:
        return self._number(text, name, problems, row, validation.MAX_PEOPLE) if text else 0

    def _number(self, text: str, name: str, problems: list[Problem], row: int, maximum: int) -> int:
        """A whole number from 0 to `maximum`, or 0 with the problem named."""
        try:
            value = int(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a whole number") % {"value": text}))
            return 0
        problem = validation.amount_problem(value, maximum=maximum)
        if problem:
            problems.append(Problem(row, name, problem))
            return 0
        return value

    def _float(self, text: str, name: str, problems: list[Problem], row: int) -> float | None:
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            problems.append(Problem(row, name, _("%(value)r is not a number") % {"value": text}))
            return None

    def _counts(self, row: int, values: dict[str, str], problems: list[Problem], out: dict[str, Any]) -> None:
        """The totals and their breakdowns: empty cells filled as `validation.complete_breakdowns` says, then
        checked against each other; one person's sex, age group and status (old files) become breakdowns."""
        counts: dict[str, int | None] = {}
        before = len(problems)
        for name in COUNT_FIELDS:
            text = values.get(name, "")
            counts[name] = self._count(text, name, problems, row) if text else None
        legacy: dict[str, str | None] = {}
        for name, mapping in LEGACY_BREAKDOWNS.items():
            text = values.get(name, "").strip().lower()
            if text and text not in mapping:
                problems.append(_not_one_of(row, name, text, mapping))
            legacy[name] = mapping.get(text)
        if any(legacy.values()):
            sex, age = legacy["sex"], legacy["age_group"]
            for outcome in OUTCOMES:
                total = counts[outcome] or 0
                for group in (sex, age, legacy["civilian_status"], SEX_AND_AGE.get((sex or "", age or ""))):
                    if group:
                        counts[f"{outcome}_{group}"] = total
        completed = validation.complete_breakdowns(counts)
        if len(problems) == before:
            for fields, message in validation.breakdown_problems(completed):
                problems.append(Problem(row, fields, message))
        out.update(completed)

    def check(self, row: int, values: dict[str, str]) -> tuple[dict[str, Any] | None, list[Problem], list[Problem]]:
        problems: list[Problem] = []
        warnings: list[Problem] = []
        out: dict[str, Any] = {}
        code = values.get("state", "").upper()
        iso3 = self.iso3.get(code)
        if not code:
            problems.append(Problem(row, "state", _("is required")))
        elif iso3 is None:
            problems.append(Problem(row, "state", _("unknown state code %(code)r") % {"code": code}))
        out["state"] = iso3
        text = values.get("date", "")
        out["date"] = self._date(text, "date", problems, row) if text else None
        if not text:
            problems.append(Problem(row, "date", _("is required")))
        text = values.get("date_end", "")
        out["date_end"] = self._date(text, "date_end", problems, row) if text else None
        if out["date"] and out["date_end"] and out["date_end"] < out["date"]:
            problems.append(Problem(row, "date_end", _("is before the date")))
        self._counts(row, values, problems, out)
        if not problems and out["killed"] == 0 and out["injured"] == 0:
            problems.append(Problem(row, "killed/injured", _("the row counts nobody")))
        latitude = self._float(values.get("latitude", ""), "latitude", problems, row)
        longitude = self._float(values.get("longitude", ""), "longitude", problems, row)
        problem = validation.coordinates_problem(latitude, longitude)
        if problem:
            problems.append(Problem(row, "latitude/longitude", problem))
        elif iso3 and validation.outside_state(iso3, latitude, longitude):
            warnings.append(
                Problem(
                    row,
                    "latitude/longitude",
                    _("%(lat)s, %(lon)s is outside %(state)s's rough bounds")
                    % {"lat": latitude, "lon": longitude, "state": iso3},
                )
            )
        out["latitude"], out["longitude"] = latitude, longitude
        for name, allowed in CHOICES.items():
            text = values.get(name, "").strip().lower()
            if text and text not in allowed:
                problems.append(_not_one_of(row, name, text, allowed))
            out[name] = text or DEFAULTS.get(name, "unknown")
        for name, limit in MAX_LENGTHS.items():
            text = unneutralised(values.get(name, "").strip())
            if len(text) > limit:
                problems.append(Problem(row, name, _("longer than %(limit)s characters") % {"limit": limit}))
            out[name] = text
        out["source"] = unneutralised(values.get("source", "").strip())[:300] or self.default_source
        return (None if problems else out), problems, warnings
