"""The events' tasks moved from `events/tasks.py` to `events/reminders.py`, beside the code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and a reminder queued for next week would never go.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

from coalition.lib.task_moves import rename_queued_tasks

MOVED = {
    "coalition.events.tasks.send_event_reminders": "coalition.events.reminders.send_event_reminders",
    "coalition.events.tasks.send_due_reminders": "coalition.events.reminders.send_due_reminders",
}


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_event_language_versions"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [rename_queued_tasks(MOVED)]
