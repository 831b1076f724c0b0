"""A migration step for tasks whose code moved to another module.

The database task queue names each task by its import path, so tasks queued (or running) before a move are
renamed; otherwise a worker could not import them and the work would never happen. Finished tasks keep the
name they ran under."""

from __future__ import annotations

from typing import Any

from django.db import migrations

UNFINISHED = ["READY", "RUNNING"]


def rename_queued_tasks(moved: dict[str, str]) -> migrations.RunPython:
    """RunPython renaming unfinished tasks from each old path to its new one (and back when unapplied)."""

    def rename(apps: Any, moves: dict[str, str]) -> None:
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        for old, new in moves.items():
            DBTaskResult.objects.filter(task_path=old, status__in=UNFINISHED).update(task_path=new)

    return migrations.RunPython(
        lambda apps, schema_editor: rename(apps, moved),
        lambda apps, schema_editor: rename(apps, {new: old for old, new in moved.items()}),
    )
