"""The shipped reference data for tests: loaded once per test process, then copied into each test's database.

Loading it (`reference_data.load`, as `make run` does) reads and checks the files and plans every change: most of
a second, in about sixty tests. The rows it writes are the same every time, so the first load is kept (and rolled
back) and each test gets a copy of those rows, written in one transaction.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from coalition.states import reference_data


@dataclass(frozen=True)
class Snapshot:
    """What a load returned, and the rows it added (model by model)."""

    summary: str
    rows: list[tuple[type[models.Model], list[models.Model]]]


_kept: list[Snapshot] = []


def _tables() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def snapshot() -> Snapshot:
    """Load the reference data into the (test) database, keep the rows it added, and roll the load back."""
    if not _kept:
        tables = _tables()
        before = {model: model._base_manager.count() for model in tables}
        with transaction.atomic():
            summary = reference_data.load(log=lambda message: None)
            added = [model for model in tables if model._base_manager.count() != before[model]]
            rows = [(model, list(model._base_manager.order_by("pk"))) for model in added]
            transaction.set_rollback(True)
        assert all(before[model] == 0 for model in added), "the reference data is loaded into empty tables"
        _kept.append(Snapshot(summary, rows))
    return _kept[0]


def restore(kept: Snapshot) -> str:
    """Write the kept rows into this test's database, as the load wrote them; returns the load's summary."""
    with transaction.atomic():  # the foreign keys are checked once every row is in
        for model, rows in kept.rows:
            model._base_manager.bulk_create(copy.deepcopy(rows))
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _rows in kept.rows]):
                cursor.execute(sql)
    return kept.summary
