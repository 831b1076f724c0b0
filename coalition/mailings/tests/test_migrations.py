"""The migration that renames the mailings' queued tasks after they moved beside the code they run."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_a_mailing_queued_before_the_tasks_moved_still_starts_under_its_new_name():
    from django_tasks_db.models import DBTaskResult

    executor = MigrationExecutor(connection)
    executor.migrate([("mailings", "0001_initial")])
    queued = DBTaskResult.objects.create(
        task_path="coalition.mailings.tasks.start_mailing", args_kwargs={"args": [1], "kwargs": {}}
    )
    finished = DBTaskResult.objects.create(
        task_path="coalition.mailings.tasks.send_batch", args_kwargs={"args": [1], "kwargs": {}}, status="SUCCESSFUL"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert DBTaskResult.objects.get(pk=queued.pk).task_path == "coalition.mailings.delivery.start_mailing"
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == "coalition.mailings.tasks.send_batch"
