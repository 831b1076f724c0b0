"""The letters' tasks moved from `letters/tasks.py` to the modules whose code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and the e-mail a writer waits for would never go.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

from coalition.lib.task_moves import rename_queued_tasks

MOVED = {
    "coalition.letters.tasks.send_letter_email": "coalition.letters.services.send_letter_email",
    "coalition.letters.tasks.deliver_message": "coalition.letters.delivery.deliver_message",
    "coalition.letters.tasks.housekeeping": "coalition.letters.housekeeping.housekeeping",
}


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0005_letter_body_only_and_language_versions"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [rename_queued_tasks(MOVED)]
