"""The migration that gives replies made before random link secrets one each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from coalition.events.models import RSVP

BEFORE = [("events", "0002_rsvp_erased_replies_share_the_blank_address")]


@pytest.mark.django_db(transaction=True)
def test_existing_replies_each_get_their_own_random_link_secret():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Organisation = old_apps.get_model("members", "Organisation")
    Event = old_apps.get_model("events", "Event")
    OldRSVP = old_apps.get_model("events", "RSVP")
    organisation = Organisation.objects.create(name="Alpha", slug="alpha", country="NO")
    start = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        title="Debate", organisation=organisation, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    for n in range(3):
        OldRSVP.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org", status="confirmed")
    OldRSVP.objects.create(event=event, name="", email="", status="confirmed")  # erased before

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tokens = list(RSVP.objects.values_list("token", flat=True))
    assert len(tokens) == 4 and len(set(tokens)) == 4
    assert all(len(token) >= 43 for token in tokens)


@pytest.mark.django_db(transaction=True)
def test_a_reminder_queued_before_the_tasks_moved_still_runs_under_its_new_name():
    from django_tasks_db.models import DBTaskResult

    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0007_event_language_versions")])
    queued = DBTaskResult.objects.create(
        task_path="coalition.events.tasks.send_event_reminders", args_kwargs={"args": [1], "kwargs": {}}
    )
    finished = DBTaskResult.objects.create(
        task_path="coalition.events.tasks.send_due_reminders", args_kwargs={"args": [], "kwargs": {}}, status="FAILED"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert DBTaskResult.objects.get(pk=queued.pk).task_path == "coalition.events.reminders.send_event_reminders"
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == "coalition.events.tasks.send_due_reminders"
