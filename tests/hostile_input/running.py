"""Running one example: draw a spoiled submission, send it, and check the answer and the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import BaseForm
from hypothesis import strategies as st

from tests.hostile_input.endpoint import Endpoint, World
from tests.hostile_input.kinds import has_nul, last_value, wrong_types

# --- running one example -----------------------------------------------------------------------------------


class RolledBack(Exception):
    """Raised at the end of each example, so its savepoint is rolled back."""


def counted_tables() -> list[str]:
    # Sessions change when someone logs in or a message is kept for the next page: not a stored submission.
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model is not Session
        }
    )


def row_counts(tables: list[str]) -> dict[str, int]:
    """Every table's row count in one query (the names come from the models, never from input)."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _snapshot(rows: list[Any]) -> list[list[dict[str, Any]]]:
    return [list(type(row)._default_manager.filter(pk=row.pk).values()) for row in rows]


def form_errors(response: Any) -> list[str]:
    """The errors the page shows from the forms in its context (a form sent back with what to change)."""
    errors: list[str] = []
    for context in response.context or []:
        for layer in context.dicts if hasattr(context, "dicts") else [context]:
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    errors += [f"{name}: {' '.join(messages)}" for name, messages in value.errors.items()]
    return errors


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 160 else f"{shown[:150]}… ({len(shown)} characters)"


# Web servers refuse longer request lines (gunicorn at 4094 bytes): longer query strings never reach Django.
QUERY_VALUE_MAX = 2_000


def send(client: Any, endpoint: Endpoint, path: str, data: dict[str, Any]) -> Any:
    if endpoint.method == "get":
        plain = {
            name: value[:QUERY_VALUE_MAX] if isinstance(value, str) else value
            for name, value in data.items()
            if not isinstance(value, SimpleUploadedFile)
        }
        return client.get(path, plain)
    return client.post(path, data)


def read_to_end(response: Any) -> None:
    # A streamed download (CSV, iCalendar) fails while it streams: read it to the end.
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@dataclass(frozen=True)
class Before:
    """The database before any example: every table's row count, and the records the endpoint edits."""

    tables: list[str]
    counts: dict[str, int]
    edited: list[Any]
    snapshot: list[Any]


def run_example(client: Any, endpoint: Endpoint, world: World, before: Before, data: st.DataObject) -> None:
    """Draw one spoiled submission, send it, and check the answer and the database."""
    fields = endpoint.fields(world)
    path_fields = endpoint.path(world)
    spoiled = data.draw(st.sets(st.sampled_from(sorted([*fields, *path_fields])), min_size=1), label="spoiled")
    values: dict[str, Any] = {}
    must_refuse: list[str] = []
    for name, (valid, kind) in {**fields, **path_fields}.items():
        if name not in spoiled:
            values[name] = valid
            continue
        value = data.draw(
            st.one_of(kind.values, wrong_types, st.just(None)) if name in fields else kind.values, label=name
        )
        values[name] = value
        read = value if kind.several else last_value(value)
        if value is not None and ((kind.reads_text and has_nul(read)) or kind.must_refuse(value)):
            must_refuse.append(name)
    form = {name: value for name, value in values.items() if name in fields and value is not None}
    path = endpoint.url(world).format(**{name: quote(str(values[name]), safe="") for name in path_fields})
    described = f"{endpoint.name}: {endpoint.method.upper()} {_short(path)} with " + ", ".join(
        f"{name}={_short(values[name])}" for name in sorted(spoiled)
    )
    try:
        response = send(client, endpoint, path, form)
        read_to_end(response)
    except Exception as exc:
        raise AssertionError(f"{described} raised {exc!r}") from exc
    assert response.status_code < 500, f"{described} answered {response.status_code}"
    errors = form_errors(response)
    refused = response.status_code >= 400 or (response.status_code == 200 and bool(errors))
    if refused or must_refuse:
        counts = row_counts(before.tables)
        assert counts == before.counts, (
            f"{described} answered {response.status_code}"
            + (f" ({', '.join(must_refuse)} must be refused)" if must_refuse else " refusing it")
            + " but changed "
            + ", ".join(
                f"{table} ({before.counts[table]} → {count})"
                for table, count in counts.items()
                if count != before.counts[table]
            )
        )
        assert _snapshot(before.edited) == before.snapshot, f"{described} changed the record"
    if must_refuse and response.status_code == 200 and endpoint.method == "post":
        assert errors, f"{described}: {', '.join(must_refuse)} must be refused with a message, and the page shows none"


def prepare(endpoint: Endpoint, world: World, client: Any) -> Before:
    """Build what the endpoint needs and log its user in, before any example (each example is rolled back)."""
    for name in endpoint.needs:
        getattr(world, name)
    endpoint.fields(world)
    endpoint.path(world)
    endpoint.url(world)
    if endpoint.user is not None:
        client.force_login(endpoint.user(world))
    tables = counted_tables()
    edited = endpoint.edits(world)
    return Before(tables, row_counts(tables), edited, _snapshot(edited))
