"""Rows naming a record already kept (by its identifier in its source): they update it rather than add another."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.research import selectors, services
from coalition.research.importing.spec import (
    AT,
    COUNT_FIELDS,
    I_EXTERNAL,
    I_SOURCE,
    LEGACY_BREAKDOWNS,
    OWN_ID_PREFIX,
    ROW_COLUMNS,
    Column,
    Problem,
)
from coalition.research.models import Casualty


class Matcher:
    """Rows that carry an identifier: those naming a record already kept update it rather than adding another.

    A record is known by its source and its identifier in that source, or, in the project's own exports, by
    `coalition-<id>` when it had no identifier of its own. An identifier given twice in one file is a bad row.
    """

    def __init__(self) -> None:
        self.seen: dict[tuple[int, str], int] = {}
        self.existing: dict[tuple[int, str], int] | None = None
        self.updates: list[tuple[int, tuple[Any, ...]]] = []
        self.own: list[tuple[int, tuple[Any, ...]]] = []

    def known(self, number: int, row: tuple[Any, ...], problem: Callable[[str, Problem], None]) -> bool:
        """True when the row is not for inserting now: an update, a record of ours to look up, or a duplicate."""
        external = row[I_EXTERNAL]
        key = (row[I_SOURCE], external)
        earlier = self.seen.get(key)
        if earlier is not None:
            problem(
                "error",
                Problem(
                    number,
                    "external_id",
                    _("%(id)r is already the identifier of row %(row)s from the same source")
                    % {"id": external, "row": earlier},
                ),
            )
            return True
        self.seen[key] = number
        if self.existing is None:
            self.existing = {
                (source_id, external_id): pk
                for source_id, external_id, pk in Casualty.objects.exclude(external_id="").values_list(
                    "source_id", "external_id", "pk"
                )
            }
        pk = self.existing.get(key)
        if pk is not None:
            self.updates.append((pk, row))
            return True
        own = external[len(OWN_ID_PREFIX) :] if external.startswith(OWN_ID_PREFIX) else ""
        if own.isdecimal() and len(own) <= 18:
            self.own.append((int(own), row))
            return True
        return False

    def new_after_all(self) -> list[tuple[Any, ...]]:
        """Rows naming one of our records by `coalition-<id>`: updates where it exists, new records elsewhere."""
        new = []
        for start in range(0, len(self.own), 1000):
            chunk = self.own[start : start + 1000]
            existing = set(Casualty.objects.filter(pk__in=[pk for pk, _row in chunk]).values_list("pk", flat=True))
            for pk, row in chunk:
                if pk in existing:
                    self.updates.append((pk, row))
                else:
                    new.append(row)
        return new


def updated_fields(columns: list[Column | None]) -> list[str]:
    """The record's fields an update by this file may change: those it has a column for, and what goes with them."""
    present = {column.field for column in columns if column}
    names = {"state": ["state_id"], "date": ["date", "year"], "source": ["source_id"], "external_id": []}
    fields: list[str] = []
    for name in present:
        fields += names.get(name, [] if name in COUNT_FIELDS or name in LEGACY_BREAKDOWNS else [name])
    if present & {*COUNT_FIELDS, *LEGACY_BREAKDOWNS}:
        fields += list(COUNT_FIELDS)  # the totals and every breakdown change together
    return sorted(set(fields), key=ROW_COLUMNS.index)


def _python(field: str, value: Any) -> Any:
    if field in {"date", "date_end"} and value is not None and not isinstance(value, date):
        return date.fromisoformat(str(value))
    return value


def _same(record: Casualty, field: str, value: Any) -> bool:
    current = getattr(record, field)
    if field in {"latitude", "longitude"} and current is not None and value is not None:
        # An export gives the public, rounded position: the same place, not a change (the precise one is kept).
        return value in {current, selectors.public_coordinate(Casualty, current)}
    return bool(current == value)


def update_known(
    updates: list[tuple[int, tuple[Any, ...]]],
    *,
    fields: list[str],
    run: services.ImportRun,
    dry_run: bool,
) -> list[tuple[int, tuple[str, int], tuple[str, int]]]:
    """Update the known records a file changes, each with its history entry; leave the others alone.

    A changed record takes the import's status (approved, or awaiting review again). Returns (id, old bucket, new
    bucket) of each record changed, or that a dry run would change.
    """
    changed: list[tuple[int, tuple[str, int], tuple[str, int]]] = []
    now = timezone.now()
    for start in range(0, len(updates), 1000):
        chunk = updates[start : start + 1000]
        records = Casualty.objects.in_bulk([pk for pk, _row in chunk])
        for pk, row in chunk:
            record = records[pk]
            new = {field: _python(field, row[AT[field]]) for field in fields}
            differs = [field for field, value in new.items() if not _same(record, field, value)]
            if not differs:
                continue
            old_bucket = (record.state_id, record.year)
            changed.append((pk, old_bucket, (new.get("state_id", record.state_id), new.get("year", record.year))))
            if not dry_run:
                values = {field: new[field] for field in differs}
                services.record_import_update(record=record, values=values, run=run, at=now)
    return changed
