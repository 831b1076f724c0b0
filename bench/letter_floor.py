"""The floor under letter-submit: the same rows written through a raw cursor, nothing else.

A POST through the same server and middleware (CSRF included) that writes what a letter writes for a new
writer (supporter, consent, letter, one message, the task's row) in one transaction, with every statement
and every constant value prepared once: no form, no checks, no merge, no ORM. What it reaches against the
bare view is the most any letter POST could reach on the same machine and database.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import AutoField, BigAutoField, Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone


class _Insert:
    """INSERT … [RETURNING id] of one row like `obj`: the statement and the values built once."""

    def __init__(self, obj: Model) -> None:
        quote = connection.ops.quote_name
        self.fields = [f for f in obj._meta.concrete_fields if not isinstance(f, (AutoField, BigAutoField))]
        self.values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in self.fields]
        self.at = {f.attname: i for i, f in enumerate(self.fields)}
        self.returns = isinstance(obj._meta.pk, (AutoField, BigAutoField))
        self.sql = (  # names from the model's meta, quoted; values are parameters
            f"INSERT INTO {quote(obj._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
            + (f" RETURNING {quote(obj._meta.pk.column)}" if self.returns else "")
        )

    def run(self, cursor: Any, **changes: Any) -> Any:
        values = list(self.values)
        for attname, value in changes.items():
            index = self.at[attname]
            values[index] = self.fields[index].get_db_prep_save(value, connection)
        cursor.execute(self.sql, values)
        return cursor.fetchone()[0] if self.returns else None


_inserts: list[_Insert] = []


def _prepare() -> None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    from coalition.letters.models import Action, Letter, Message
    from coalition.members.models import ConsentRecord, Supporter

    action = Action.objects.get(slug="bench")
    position = action.positions.get()
    _inserts.extend(
        _Insert(obj)
        for obj in (
            Supporter(name="x", email="x", language="en"),
            ConsentRecord(supporter_id=0, kind="action_alerts", granted=False, text="x", source="letters:write"),
            Letter(action=action, supporter_id=0, name="x", town="x", body="x", edited=True, language="en"),
            Message(
                letter_id=0,
                action=action,
                position=position,
                term_id=position.current_term_id,
                recipient_name="x",
                recipient_title=position.title,
                recipient_email="x",
                subject="x",
                body="x",
            ),
            DBTaskResult(
                id=uuid.uuid4(),
                args_kwargs={},
                task_path="coalition.letters.services.send_letter_email",
                run_after=get_date_max(),
                backend_name="default",
            ),
        )
    )


def letter_floor(request: HttpRequest) -> HttpResponse:
    if not _inserts:
        _prepare()
    supporter, consent, letter, message, task = _inserts
    name, email, body, now = request.POST["name"], request.POST["email"], request.POST["body"], timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        supporter_id = supporter.run(cursor, name=name, email=email, created_at=now)
        consent.run(cursor, supporter_id=supporter_id, created_at=now)
        letter_id = letter.run(cursor, supporter_id=supporter_id, name=name, body=body, created_at=now)
        message.run(cursor, letter_id=letter_id, body=body, message_id=f"<{uuid.uuid4().hex}@bench.invalid>")
        task.run(cursor, id=uuid.uuid4(), args_kwargs={"args": [letter_id], "kwargs": {}}, enqueued_at=now)
    return HttpResponseRedirect("/act/bench/thanks/")
