"""The staff work digest: one e-mail per person at most each run, each entry announced to each person once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.scheduler import registered_jobs, schedule_enqueue_due
from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory
from coalition.members.models import MembershipApplication
from coalition.members.tests.factories import ApplicationFactory
from coalition.site.digest import staff_digest_send
from coalition.site.models import StaffDigestNotice

pytestmark = pytest.mark.django_db


def _sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_a_new_application_reaches_campaigners_in_the_next_digest_and_only_once(carol, sam, run_tasks):
    ApplicationFactory(organisation__name="Lebanon Relief")
    EventFactory(status=Event.Status.SUBMITTED, title="Vigil in Oslo")

    assert staff_digest_send() == 1
    run_tasks()
    (message,) = _sent_to("carol@example.org")
    assert "Lebanon Relief" in message.body and "Vigil in Oslo" in message.body
    assert "/members/staff/applications/" in message.body and "/staff/" in message.body
    assert _sent_to("sam@example.org") == []

    mail.outbox.clear()
    assert staff_digest_send() == 0  # nothing new: no e-mail
    ApplicationFactory(organisation__name="Mine Action Laos")
    assert staff_digest_send() == 1
    run_tasks()
    (second,) = _sent_to("carol@example.org")
    assert "Mine Action Laos" in second.body and "Lebanon Relief" not in second.body


def test_each_person_gets_only_the_queues_their_role_acts_on(carol, run_tasks):
    vera = UserFactory(email="vera@example.org", is_staff=True)
    vera.groups.add(Group.objects.get(name=Role.REVIEWER))
    ApplicationFactory(organisation__name="Lebanon Relief")

    staff_digest_send()
    run_tasks()

    assert len(_sent_to("carol@example.org")) == 1
    assert _sent_to("vera@example.org") == []


def test_an_entry_that_leaves_and_comes_back_is_announced_again(carol, run_tasks):
    event = EventFactory(status=Event.Status.SUBMITTED, title="Vigil in Oslo")
    staff_digest_send()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)  # sent back to its organisers
    staff_digest_send()
    assert not StaffDigestNotice.objects.filter(queue="events.review").exists()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.SUBMITTED)  # resubmitted

    mail.outbox.clear()
    assert staff_digest_send() == 1
    run_tasks()
    assert "Vigil in Oslo" in _sent_to("carol@example.org")[0].body


def test_a_decided_application_is_not_announced(carol):
    ApplicationFactory(status=MembershipApplication.Status.APPROVED)
    assert staff_digest_send() == 0


def test_a_long_queue_is_named_in_part_and_counted_in_full(carol, run_tasks):
    for _n in range(12):
        ApplicationFactory()
    staff_digest_send()
    run_tasks()
    (message,) = _sent_to("carol@example.org")
    assert "and 2 more" in message.body
    assert StaffDigestNotice.objects.filter(user=carol, queue="members.application").count() == 12


def test_the_digest_is_scheduled_hourly_at_most():
    (job,) = [job for job in registered_jobs() if job.name == "site.send_staff_digest"]
    assert job.every == timedelta(hours=1)
    now = timezone.now()
    assert "site.send_staff_digest" in schedule_enqueue_due(now=now, jobs=(job,))
    assert schedule_enqueue_due(now=now + timedelta(minutes=59), jobs=(job,)) == []
    assert schedule_enqueue_due(now=now + timedelta(minutes=61), jobs=(job,)) == ["site.send_staff_digest"]
