"""Follow-up reminders: a few days before the due date and on it, each sent once (two workers, a crash)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from coalition.core.models import Email
from coalition.engagement import follow_ups
from coalition.engagement.models import FollowUp, FollowUpReminder, Visibility
from coalition.engagement.tests.factories import FollowUpFactory, OfficialMeetingFactory


def _emails_to(address):
    return list(Email.objects.filter(to=address).order_by("pk"))


@pytest.mark.django_db
def test_the_owner_is_reminded_a_few_days_before_and_on_the_due_date_once_each(edna, settings):
    settings.ENGAGEMENT_REMINDER_DAYS_BEFORE = 3
    today = timezone.localdate()
    FollowUpFactory(owner=edna, title="Send the model law", due_on=today + timedelta(days=3))

    assert follow_ups.follow_up_send_reminders(today=today) == 1
    assert follow_ups.follow_up_send_reminders(today=today) == 0
    assert follow_ups.follow_up_send_reminders(today=today + timedelta(days=1)) == 0
    assert follow_ups.follow_up_send_reminders(today=today + timedelta(days=3)) == 1
    assert follow_ups.follow_up_send_reminders(today=today + timedelta(days=3)) == 0

    subjects = [e.subject for e in _emails_to(edna.email)]
    assert len(subjects) == 2
    assert "Send the model law" in subjects[0] and "due today" in subjects[1]


@pytest.mark.django_db
def test_a_done_follow_up_is_not_reminded(edna):
    today = timezone.localdate()
    FollowUpFactory(owner=edna, due_on=today, status=FollowUp.Status.DONE)
    assert follow_ups.follow_up_send_reminders(today=today) == 0


@pytest.mark.django_db
def test_a_worker_dying_mid_run_leaves_the_reminder_to_the_next_run(edna, monkeypatch):
    today = timezone.localdate()
    FollowUpFactory(owner=edna, due_on=today)
    real = follow_ups._send_reminder

    def dies(follow_up, kind):
        real(follow_up, kind)
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(follow_ups, "_send_reminder", dies)
    with pytest.raises(SystemExit):
        follow_ups.follow_up_send_reminders(today=today)
    # The marker and the e-mail were in one transaction: neither is left.
    assert not FollowUpReminder.objects.exists() and not _emails_to(edna.email)

    monkeypatch.setattr(follow_ups, "_send_reminder", real)
    assert follow_ups.follow_up_send_reminders(today=today) == 1
    assert follow_ups.follow_up_send_reminders(today=today) == 0
    assert len(_emails_to(edna.email)) == 1


@pytest.mark.django_db
def test_the_reminder_never_tells_the_restricted_meeting_to_an_owner_who_lost_the_right(edna, org_a, org_b):
    meeting = OfficialMeetingFactory(organisation=org_a, outcome="Secret outcome", visibility=Visibility.COALITION)
    FollowUpFactory(owner=edna, meeting=meeting, due_on=timezone.localdate())
    # Since then the meeting became restricted and Edna moved to another organisation.
    meeting.visibility = Visibility.RESTRICTED
    meeting.save()
    org_a.editors.remove(edna)
    org_b.editors.add(edna)

    follow_ups.follow_up_send_reminders()

    email = _emails_to(edna.email)[0]
    assert "Secret outcome" not in email.body_text + email.body_html
    assert meeting.get_absolute_url() not in email.body_text + email.body_html


@pytest.mark.django_db
def test_reminders_are_delivered_by_the_worker(edna, run_tasks):
    FollowUpFactory(owner=edna, due_on=timezone.localdate())
    follow_ups.follow_up_send_reminders()
    run_tasks()
    assert [m.to for m in mail.outbox] == [[edna.email]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections writing at once: run with DATABASE_URL=postgres://… "
    "(SQLite serialises write transactions, so two workers cannot overlap there)",
)
def test_two_workers_running_the_job_at_the_same_moment_send_each_reminder_once(edna, monkeypatch):
    today = timezone.localdate()
    for n in range(5):
        FollowUpFactory(owner=edna, title=f"Task {n}", due_on=today)
    # The first worker holds its first claim uncommitted until the second has reached the same follow-up.
    first_claimed = threading.Event()
    second_started = threading.Event()
    real = follow_ups._send_reminder

    def slow_first(follow_up, kind):
        real(follow_up, kind)
        if threading.current_thread().name == "first" and not first_claimed.is_set():
            first_claimed.set()
            second_started.wait(timeout=10)
            threading.Event().wait(0.5)  # let the second worker block on the claim

    monkeypatch.setattr(follow_ups, "_send_reminder", slow_first)
    results = {}

    def run(name):
        try:
            if name == "second":
                first_claimed.wait(timeout=10)
                second_started.set()
            results[name] = follow_ups.follow_up_send_reminders(today=today)
        except Exception as exc:  # noqa: BLE001  reported below
            results[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,), name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(count, int) for count in results.values()), results
    assert sum(results.values()) == 5
    assert Email.objects.filter(to=edna.email).count() == 5
    assert FollowUpReminder.objects.count() == 5
    with transaction.atomic():
        assert FollowUpReminder.objects.values("follow_up").distinct().count() == 5
