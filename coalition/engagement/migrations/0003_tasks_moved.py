"""Engagement's tasks moved from `engagement/tasks.py` to `engagement/follow_ups.py` and
`engagement/delegation_briefs.py`, beside the code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and briefs a campaigner asked for would never be built.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

from coalition.lib.task_moves import rename_queued_tasks

MOVED = {
    "coalition.engagement.tasks.send_follow_up_reminders": "coalition.engagement.follow_ups.send_follow_up_reminders",
    "coalition.engagement.tasks.build_delegation_briefs": "coalition.engagement.delegation_briefs.build_delegation_briefs",
    "coalition.engagement.tasks.purge_printed_briefs": "coalition.engagement.delegation_briefs.purge_printed_briefs",
}


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_delegation_briefs"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [rename_queued_tasks(MOVED)]
