from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.core import selectors
from coalition.core.models import OutboxMessage, WorkerHeartbeat
from coalition.core.tests.tasks import do_nothing
from coalition.core.worker import run_pending_tasks

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_and_json_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": {"waiting": 0, "oldest_waiting_seconds": None, "workers": 0},
    }


def test_healthz_reports_the_tasks_waiting_how_long_the_oldest_has_waited_and_the_workers_alive(client):
    now = timezone.now()
    oldest = do_nothing.enqueue()
    DBTaskResult.objects.filter(pk=oldest.id).update(enqueued_at=now - timedelta(minutes=10))
    do_nothing.enqueue()
    do_nothing.using(run_after=now + timedelta(hours=1)).enqueue()  # not due yet: not waiting
    WorkerHeartbeat.objects.create(worker_id="alive", last_seen=now)
    WorkerHeartbeat.objects.create(worker_id="stopped-beating", last_seen=now - timedelta(hours=1))

    tasks = client.get("/healthz").json()["tasks"]

    assert tasks["waiting"] == 2 and tasks["workers"] == 1
    assert 600 <= tasks["oldest_waiting_seconds"] < 660


def test_healthz_counts_a_delayed_task_from_when_it_became_due():
    due = do_nothing.using(run_after=timezone.now() - timedelta(minutes=2)).enqueue()
    DBTaskResult.objects.filter(pk=due.id).update(enqueued_at=timezone.now() - timedelta(days=1))

    state = selectors.task_queue_state()

    assert state.waiting == 1 and 120 <= state.oldest_seconds < 180


def test_healthz_stops_counting_a_task_once_a_worker_has_run_it(client):
    do_nothing.enqueue()
    assert client.get("/healthz").json()["tasks"]["waiting"] == 1

    run_pending_tasks()

    assert client.get("/healthz").json()["tasks"]["waiting"] == 0


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.fixture
def kept_message(db):
    return OutboxMessage.objects.create(
        from_email="Coalition <noreply@localhost>",
        to="ana@example.org",
        subject="Confirm your signature",
        body_text="Confirm here: http://127.0.0.1:8000/confirm/abc/",
        body_html='<p>Confirm <a href="http://127.0.0.1:8000/confirm/abc/">here</a></p><script>alert(1)</script>',
    )


def test_the_superuser_reads_the_outbox_with_subject_recipients_and_both_bodies(
    client, alice, kept_message, outbox_backend
):
    client.force_login(alice)

    listing = client.get(reverse("outbox"))
    assert listing.status_code == 200
    assert b"Confirm your signature" in listing.content
    assert b"ana@example.org" in listing.content

    detail = client.get(reverse("outbox-message", args=[kept_message.pk]))
    assert detail.status_code == 200
    assert b"http://127.0.0.1:8000/confirm/abc/" in detail.content
    # The HTML body is shown in a sandboxed frame, escaped, so it cannot run on the staff page.
    assert b'<iframe class="email-html" sandbox' in detail.content
    assert b"<script>alert(1)</script>" not in detail.content


def test_the_outbox_is_closed_to_visitors_supporters_and_campaigners(client, sam, carol, kept_message, outbox_backend):
    anonymous = client.get(reverse("outbox"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))

    for user in (sam, carol):
        client.force_login(user)
        assert client.get(reverse("outbox")).status_code == 403
        assert client.get(reverse("outbox-message", args=[kept_message.pk])).status_code == 403


def test_a_campaigner_reads_not_even_mail_to_people_without_an_account(client, carol, kept_message, outbox_backend):
    # Supporters' confirm and "your data" links are as much secrets as a password reset.
    client.force_login(carol)

    assert client.get(reverse("outbox-message", args=[kept_message.pk])).status_code == 403
    assert "Outbox" not in client.get("/").content.decode()


def test_with_an_smtp_server_there_is_no_outbox_even_for_the_superuser(client, alice, kept_message, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    client.force_login(alice)

    assert client.get(reverse("outbox")).status_code == 404
    assert client.get(reverse("outbox-message", args=[kept_message.pk])).status_code == 404
    assert client.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403


def test_the_superuser_finds_the_outbox_in_the_navigation_in_outbox_mode(client, alice, outbox_backend):
    client.force_login(alice)

    assert f'href="{reverse("outbox")}"' in client.get("/").content.decode()
