"""The database task backend, writing each task's row without compiling an INSERT every time.

A letter POST enqueues one task; through the ORM its row costs about as much as all the letter's own
rows together. The row is the one `django_tasks_db` writes (same fields, same values, `run_after` set
as its pre_save handler sets it); `test_task_backend.py` compares the two.
"""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar

from django_tasks_db import backend
from django_tasks_db.compat import Task, normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.signal_handlers import set_run_after

from coalition.lib import rows

P = ParamSpec("P")
T = TypeVar("T")


class DatabaseBackend(backend.DatabaseBackend):
    def _task_to_db_task(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> DBTaskResult[Any, Any]:
        result: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=self.alias,
        )
        # django-tasks-db's pre_save receiver only defaults run_after, which is given above.
        rows.insert([result], reproduces={set_run_after})
        return result
