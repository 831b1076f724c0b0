"""The letters' tasks moved from `letters/tasks.py` to the modules whose code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and the e-mail a writer waits for would never go.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

MOVED = {
    "coalition.letters.tasks.send_letter_email": "coalition.letters.services.send_letter_email",
    "coalition.letters.tasks.deliver_message": "coalition.letters.delivery.deliver_message",
    "coalition.letters.tasks.housekeeping": "coalition.letters.housekeeping.housekeeping",
}
UNFINISHED = ["READY", "RUNNING"]


def rename(apps, schema_editor, moves):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        DBTaskResult.objects.filter(task_path=old, status__in=UNFINISHED).update(task_path=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0005_letter_body_only_and_language_versions"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
