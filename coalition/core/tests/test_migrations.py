"""The migration that renames core's queued tasks after they moved beside the code they run."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_before_the_tasks_moved_is_still_delivered_under_its_new_name():
    from django_tasks_db.models import DBTaskResult

    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0004_email_attachments_and_to_index")])
    queued = DBTaskResult.objects.create(
        task_path="coalition.core.tasks.deliver_email", args_kwargs={"args": [1], "kwargs": {}}
    )
    finished = DBTaskResult.objects.create(
        task_path="coalition.core.tasks.process_bounces", args_kwargs={"args": [], "kwargs": {}}, status="SUCCESSFUL"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert DBTaskResult.objects.get(pk=queued.pk).task_path == "coalition.core.delivery.deliver_email"
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == "coalition.core.tasks.process_bounces"
