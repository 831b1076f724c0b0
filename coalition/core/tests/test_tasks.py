"""Background tasks: enqueued only on commit, run exactly once, and not lost when a worker dies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coalition.core import services
from coalition.core.models import Email, OutboxMessage, WorkerHeartbeat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("outbox_backend")]


class Boom(Exception):
    pass


def test_a_task_enqueued_in_a_transaction_that_rolls_back_never_runs(run_tasks):
    with pytest.raises(Boom), transaction.atomic():
        services.email_queue(to="ana@example.org", subject="Never", body_text="Rolled back")
        raise Boom

    assert DBTaskResult.objects.count() == 0
    assert run_tasks() == 0
    assert Email.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_task_enqueued_in_a_transaction_that_commits_runs_exactly_once(run_tasks):
    with transaction.atomic():
        services.email_queue(to="ana@example.org", subject="Welcome", body_text="Hello")
        # Written in this transaction (the database backend): other connections see it at the commit.
        assert DBTaskResult.objects.count() == 1

    assert DBTaskResult.objects.count() == 1
    assert run_tasks() == 1
    assert run_tasks() == 0
    assert OutboxMessage.objects.filter(subject="Welcome").count() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_task_abandoned_by_a_dead_worker_is_run_again(run_tasks):
    services.email_queue(to="ana@example.org", subject="Survives", body_text="Hello")
    task = DBTaskResult.objects.get()
    task.claim("worker-that-was-killed")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    # Stuck as running, it is not in the queue that workers take tasks from.
    assert not DBTaskResult.objects.ready().exists()

    assert services.tasks_requeue_abandoned() == 1
    assert DBTaskResult.objects.ready().count() == 1
    assert run_tasks() == 1
    assert OutboxMessage.objects.filter(subject="Survives").count() == 1


def test_a_starting_worker_recovers_tasks_of_dead_workers(run_tasks):
    services.email_queue(to="ana@example.org", subject="Recovered", body_text="Hello")
    DBTaskResult.objects.get().claim("worker-that-was-killed")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=5))

    assert run_tasks() == 1
    assert OutboxMessage.objects.filter(subject="Recovered").count() == 1


def test_a_task_of_a_worker_that_is_still_beating_is_left_alone(run_tasks):
    services.email_queue(to="ana@example.org", subject="Long task", body_text="Hello")
    task = DBTaskResult.objects.get()
    task.claim("busy-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    services.worker_heartbeat(worker_id="busy-worker")

    assert services.tasks_requeue_abandoned() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_the_worker_removes_its_heartbeat_when_it_stops(run_tasks):
    run_tasks()
    assert WorkerHeartbeat.objects.count() == 0
