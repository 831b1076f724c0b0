"""The migrations that rename the tasks queued before their code moved (coalition.lib.task_moves), one for each app
whose tasks moved: a queued task runs under its new name, a finished one keeps the name it ran under."""

from __future__ import annotations

import pytest

from coalition.lib.tests.migrations import migrate_back_to, migrate_to_latest

MOVES = [
    pytest.param(
        ("letters", "0005_letter_body_only_and_language_versions"),
        ("coalition.letters.tasks.send_letter_email", "coalition.letters.services.send_letter_email"),
        ("coalition.letters.tasks.deliver_message", "FAILED"),
        id="letters",
    ),
    pytest.param(
        ("events", "0007_event_language_versions"),
        ("coalition.events.tasks.send_event_reminders", "coalition.events.reminders.send_event_reminders"),
        ("coalition.events.tasks.send_due_reminders", "FAILED"),
        id="events",
    ),
    pytest.param(
        ("mailings", "0001_initial"),
        ("coalition.mailings.tasks.start_mailing", "coalition.mailings.delivery.start_mailing"),
        ("coalition.mailings.tasks.send_batch", "SUCCESSFUL"),
        id="mailings",
    ),
    pytest.param(
        ("core", "0004_email_attachments_and_to_index"),
        ("coalition.core.tasks.deliver_email", "coalition.core.delivery.deliver_email"),
        ("coalition.core.tasks.process_bounces", "SUCCESSFUL"),
        id="core",
    ),
    pytest.param(
        ("engagement", "0002_delegation_briefs"),
        (
            "coalition.engagement.tasks.build_delegation_briefs",
            "coalition.engagement.delegation_briefs.build_delegation_briefs",
        ),
        ("coalition.engagement.tasks.send_follow_up_reminders", "SUCCESSFUL"),
        id="engagement",
    ),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("before", "move", "finished_task"), MOVES)
def test_a_task_queued_before_the_tasks_moved_still_runs_under_its_new_name(before, move, finished_task):
    from django_tasks_db.models import DBTaskResult

    old_path, new_path = move
    finished_path, finished_status = finished_task
    migrate_back_to([before])
    queued = DBTaskResult.objects.create(task_path=old_path, args_kwargs={"args": [1], "kwargs": {}})
    finished = DBTaskResult.objects.create(
        task_path=finished_path, args_kwargs={"args": [1], "kwargs": {}}, status=finished_status
    )

    migrate_to_latest()

    assert DBTaskResult.objects.get(pk=queued.pk).task_path == new_path
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == finished_path
