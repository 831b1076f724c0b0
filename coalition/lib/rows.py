"""Inserting model rows without compiling a query each time, for the few writes on a hot path.

The ORM spends most of a small INSERT compiling it (about 0.15 ms against tens of microseconds for
SQLite to run it). `insert` builds the statement once per model, table shape and database, and
converts the values with the fields' own `pre_save` and `get_db_prep_save`, so defaults, `auto_now`,
JSON and time zones come out exactly as `Model.save()` writes them. Like `bulk_create`, it sends no
signals and runs no `save()` override, so it refuses a model that has either (`RowsRefused`): a `save()` or a
receiver added later must not be skipped silently on the hot path. It speaks the SQL
that both supported databases (SQLite 3.35+, PostgreSQL) share: `RETURNING` and `ON CONFLICT DO NOTHING`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.db.models.signals import post_save, pre_save

_AUTO = (AutoField, BigAutoField, SmallAutoField)


class RowsRefused(TypeError):
    """The model does something on save that a raw INSERT would skip."""


def _check_plain(model: type[Model], reproduces: Collection[Callable[..., Any]]) -> None:
    if model.save is not Model.save:
        raise RowsRefused(f"insert: {model.__name__} overrides save(), which a raw INSERT would not run")
    for signal, name in ((pre_save, "pre_save"), (post_save, "post_save")):
        if not signal.has_listeners(model):
            continue
        sync, asynchronous = signal._live_receivers(model)
        skipped = [receiver for receiver in (*sync, *asynchronous) if receiver not in reproduces]
        if skipped:
            names = ", ".join(getattr(receiver, "__qualname__", repr(receiver)) for receiver in skipped)
            raise RowsRefused(f"insert: {model.__name__} has {name} receivers ({names}) a raw INSERT would not call")


@cache
def _statement(model: type[Model], alias: str, rows: int, skip_conflict: bool) -> tuple[str, tuple[Field, ...]]:
    """The INSERT of `rows` rows of `model`, and the fields whose values it takes, in order."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = tuple(field for field in meta.concrete_fields if not isinstance(field, _AUTO))
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (  # names from the model's meta, quoted; values are parameters
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(field.column)) for field in fields)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * rows)}"
    )
    if skip_conflict:
        sql += " ON CONFLICT DO NOTHING"
    pk = meta.pk
    if isinstance(pk, _AUTO):
        sql += f" RETURNING {quote(str(pk.column))}"
    return sql, fields


def insert(
    objs: Sequence[Model], *, skip_conflict: bool = False, reproduces: Collection[Callable[..., Any]] = ()
) -> bool:
    """INSERT `objs` (all of one model) in one statement, set their primary keys, and say whether they were written.

    `reproduces` names the save receivers whose effect the caller has already given the objects (a package's
    default, say); any other receiver, or a `save()` override, makes it refuse.

    With `skip_conflict` (one object only), a row that would break a unique constraint is not written
    and False is returned, instead of an IntegrityError that would spoil the caller's transaction.
    As with `bulk_create`, the keys come back in the order of `objs` (both databases keep it).
    """
    if not objs:
        return True
    if skip_conflict and len(objs) != 1:
        raise ValueError("insert: skip_conflict is for one object, so that the caller knows which was skipped")
    model = type(objs[0])
    _check_plain(model, reproduces)
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, alias, len(objs), skip_conflict)
    params: list[Any] = []
    for obj in objs:
        params.extend(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if isinstance(pk, _AUTO):
            keys = [row[0] for row in cursor.fetchall()]
            written = len(keys) == len(objs)
            for obj, key in zip(objs, keys, strict=False):  # none when the row was skipped
                setattr(obj, pk.attname, key)
        else:
            written = cursor.rowcount == len(objs)
    if written:
        for obj in objs:
            obj._state.adding = False
            obj._state.db = alias
    return written


def insert_many(
    model: type[Model],
    *,
    template: Model,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    skip_conflicts: bool = False,
) -> int:
    """INSERT many rows of `model` through the driver's executemany, for volume (the demo data), not the hot path.

    Each row gives the values of `columns` (attnames, the primary key among them if the caller numbers the rows)
    already as the database takes them; every other column takes `template`'s value, prepared once as
    `Model.save()` would. No model instance per row and no SQL compiled per batch: what `bulk_create` spends
    most of its time on. Callers that number rows themselves on PostgreSQL call `sequences_reset` after.
    Like `insert`, it refuses a model whose `save()` or save receivers it would skip.
    """
    _check_plain(model, ())
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fixed = [
        field
        for field in meta.concrete_fields
        if field.attname not in columns and not (isinstance(field, _AUTO) and field.primary_key)
    ]
    fixed_values = tuple(field.get_db_prep_save(field.pre_save(template, True), connection) for field in fixed)
    names = [str(by_attname[name].column) for name in columns] + [str(field.column) for field in fixed]
    sql = (  # names from the model's meta, quoted; values are parameters
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(name) for name in names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((*row, *fixed_values))
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def next_key(model: type[Model]) -> int:
    """The first primary key above every row of `model`, for callers of `insert_many` that number rows."""
    from django.db.models import Max

    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def sequences_reset(*models: type[Model]) -> None:
    """After rows were numbered by hand: PostgreSQL's sequences continue above them (SQLite needs nothing)."""
    from django.core.management.color import no_style

    connection = connections[router.db_for_write(models[0])]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
