"""The mailings' tasks moved from `mailings/tasks.py` to `mailings/delivery.py`, beside the code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and a mailing scheduled for tomorrow would never start.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

from coalition.lib.task_moves import rename_queued_tasks

MOVED = {
    "coalition.mailings.tasks.start_mailing": "coalition.mailings.delivery.start_mailing",
    "coalition.mailings.tasks.send_batch": "coalition.mailings.delivery.send_batch",
    "coalition.mailings.tasks.keep_mailings_going": "coalition.mailings.delivery.keep_mailings_going",
}


class Migration(migrations.Migration):
    dependencies = [
        ("mailings", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [rename_queued_tasks(MOVED)]
