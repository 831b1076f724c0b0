"""Helpers for tests of data migrations, shared by every app's tests: go back to before a migration, make rows
with the models as they were then, and come forward again."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_back_to(target: list[tuple[str, str]], *models: str) -> list[Any]:
    """Migrate the test database back to `target`; the `models` ("app_label.Model") as they were then."""
    executor = MigrationExecutor(connection)
    old_apps = executor.migrate(target).apps  # the state it leaves (rendering the project's state again takes seconds)
    return [old_apps.get_model(model) for model in models]


def migrate_to_latest() -> None:
    """Run every migration since, as a deploy would."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
