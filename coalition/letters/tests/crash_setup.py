"""Data for the worker-crash test, made in the worker's database by `manage.py shell -c` (not a test module)."""

from __future__ import annotations

from typing import cast

from django_tasks_db.models import DBTaskResult

from coalition.core.models import Email
from coalition.letters import services
from coalition.letters.models import Action
from coalition.letters.tests.factories import ActionFactory, official
from coalition.states.tests.factories import StateFactory


def make_confirmed_letters(count: int) -> None:
    norway = StateFactory(iso3="NOR", name="Norway")
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    action = cast(Action, ActionFactory(slug="crash", targets=[minister]))
    for n in range(count):
        letter = services.letter_submit(
            action=action,
            name=f"Writer {n}",
            email=f"writer{n}@example.org",
            town="Bergen",
            body=action.letter_template + f"\n\nPersonal words number {n}.",
        )
        services.letter_confirm(letter=letter)
    # Only deliveries to the official in this queue: the writers' confirmation e-mails are core's business.
    Email.objects.all().delete()
    DBTaskResult.objects.exclude(task_path="coalition.letters.delivery.deliver_message").delete()
