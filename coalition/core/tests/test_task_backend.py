"""The project's task backend writes exactly the row django_tasks_db would, only faster."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend as PackageBackend
from django_tasks_db.models import DBTaskResult

from coalition.core.delivery import deliver_email
from coalition.core.task_backend import DatabaseBackend

pytestmark = pytest.mark.django_db

COMPARED_AWAY = {"id", "enqueued_at"}


def _row(backend_class, task):
    backend = backend_class("default", {})
    result = backend.enqueue(task, [42], {})
    row = DBTaskResult.objects.get(pk=result.id)
    return result, {key: value for key, value in model_to_dict(row).items() if key not in COMPARED_AWAY}, row


@pytest.mark.parametrize("run_after", [None, timezone.now() + timedelta(hours=2)])
def test_the_row_is_the_one_the_package_writes(run_after):
    task = deliver_email.using(run_after=run_after, priority=5) if run_after else deliver_email

    ours, our_row, our_db_row = _row(DatabaseBackend, task)
    _theirs, their_row, their_db_row = _row(PackageBackend, task)

    assert our_row == their_row
    assert our_row["status"] == TaskResultStatus.READY
    assert abs(our_db_row.enqueued_at - their_db_row.enqueued_at) < timedelta(seconds=5)
    assert ours.status == TaskResultStatus.READY and ours.args == [42]


def test_a_task_enqueued_by_it_is_run_by_the_worker(run_tasks, outbox_backend):
    from coalition.core.models import Email
    from coalition.core.services import email_queue

    email = email_queue(to="ana@example.org", subject="Hello", body_text="Hello Ana")

    assert run_tasks() == 1
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
