"""The migration that renames engagement's queued tasks after they moved beside the code they run."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_briefs_queued_before_the_tasks_moved_are_still_built_under_their_new_name():
    from django_tasks_db.models import DBTaskResult

    executor = MigrationExecutor(connection)
    executor.migrate([("engagement", "0002_delegation_briefs")])
    queued = DBTaskResult.objects.create(
        task_path="coalition.engagement.tasks.build_delegation_briefs", args_kwargs={"args": [1], "kwargs": {}}
    )
    finished = DBTaskResult.objects.create(
        task_path="coalition.engagement.tasks.send_follow_up_reminders",
        args_kwargs={"args": [], "kwargs": {}},
        status="SUCCESSFUL",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert (
        DBTaskResult.objects.get(pk=queued.pk).task_path
        == "coalition.engagement.delegation_briefs.build_delegation_briefs"
    )
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == "coalition.engagement.tasks.send_follow_up_reminders"
