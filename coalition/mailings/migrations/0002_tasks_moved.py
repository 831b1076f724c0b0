"""The mailings' tasks moved from `mailings/tasks.py` to `mailings/delivery.py`, beside the code they run (issue 18).

The database task queue names each task by its import path, so tasks queued (or running) before the move
are renamed; otherwise a worker could not import them, and a mailing scheduled for tomorrow would never start.
Finished tasks keep the name they ran under."""

from __future__ import annotations

from django.db import migrations

MOVED = {
    "coalition.mailings.tasks.start_mailing": "coalition.mailings.delivery.start_mailing",
    "coalition.mailings.tasks.send_batch": "coalition.mailings.delivery.send_batch",
    "coalition.mailings.tasks.keep_mailings_going": "coalition.mailings.delivery.keep_mailings_going",
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
        ("mailings", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
