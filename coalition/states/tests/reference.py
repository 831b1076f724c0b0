"""The shipped reference data for tests: loaded once per test process, then copied into each test's database.

Loading it (`reference_data.load`, as `make run` does) reads and checks the files and plans every change: most of
a second, in about sixty tests. The rows it writes are the same every time, so the first load is kept (and rolled
back) and each test gets a copy of those rows, written in one transaction.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from coalition.states import reference_data


@dataclass(frozen=True)
class Snapshot:
    """What a load returned, and the rows it added (model by model)."""

    summary: str
    rows: list[tuple[type[models.Model], list[models.Model]]]
    # The content types the rows name (the audit trail's), by id at the load: a transactional test's flush makes
    # them again, under other ids.
    content_types: dict[int, tuple[str, str]]


_kept: list[Snapshot] = []


def _tables() -> list[type[models.Model]]:
    return [
        model for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy
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
        named = dict(_content_types())
        _kept.append(Snapshot(summary, rows, {pk: key for key, pk in named.items()}))
    return _kept[0]


def _content_types() -> list[tuple[tuple[str, str], int]]:
    """Every content type as ((app label, model), id), from the table (the manager's cache may be older)."""
    return [((app, model), pk) for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")]


def restore(kept: Snapshot) -> str:
    """Write the kept rows into this test's database, as the load wrote them; returns the load's summary."""
    now = dict(_content_types())
    with transaction.atomic():  # the foreign keys are checked once every row is in
        for model, rows in kept.rows:
            copies = copy.deepcopy(rows)
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is ContentType:
                    for row in copies:
                        if (was := getattr(row, field.attname)) is not None:
                            setattr(row, field.attname, now[kept.content_types[was]])
            model._base_manager.bulk_create(copies)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _rows in kept.rows]):
                cursor.execute(sql)
    return kept.summary
