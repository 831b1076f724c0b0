"""Core's tasks moved from `core/tasks.py` to `core/delivery.py` and `core/bounce_mailbox.py`, beside the code
they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and an e-mail queued before the upgrade would never go.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

from coalition.lib.task_moves import rename_queued_tasks

MOVED = {
    "coalition.core.tasks.deliver_email": "coalition.core.delivery.deliver_email",
    "coalition.core.tasks.purge_email_bodies": "coalition.core.delivery.purge_email_bodies",
    "coalition.core.tasks.process_bounces": "coalition.core.bounce_mailbox.process_bounces",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_email_attachments_and_to_index"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [rename_queued_tasks(MOVED)]
