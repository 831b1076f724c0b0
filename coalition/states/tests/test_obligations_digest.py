"""Campaigners hear once when an obligation becomes due within 90 days or overdue."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.core.models import Email
from coalition.core.scheduler import Job
from coalition.states import obligations as ob
from coalition.states import schedule, services
from coalition.states.models import ObligationNotice
from coalition.states.tests.factories import state_party

pytestmark = pytest.mark.django_db


def test_the_digest_is_sent_once_per_deadline_and_again_when_it_turns_overdue(carol, sam):
    state_party("PLW", signed=None, ratified=date(2016, 4, 19))  # EIF 1 Oct 2016: initial report due 30 Mar 2017
    assert services.obligations_digest_send(today=date(2016, 10, 2)) == 0  # nothing within 90 days yet

    assert services.obligations_digest_send(today=date(2017, 1, 15)) == 1
    [email] = Email.objects.all()
    assert email.to == carol.email  # campaigners only, not the supporter Sam
    assert "Palau" in email.body_text and "Initial transparency report (Article 7(1))" in email.body_text
    assert "Due soon" in email.body_text and "/states/PLW/" in email.body_text

    assert services.obligations_digest_send(today=date(2017, 1, 16)) == 0  # sent once
    # Now overdue: news again, with the first annual report (due 30 April 2017) now due soon, in one e-mail.
    assert services.obligations_digest_send(today=date(2017, 3, 31)) == 2
    assert Email.objects.count() == 2 and "Overdue" in Email.objects.latest("pk").body_text
    assert "Annual transparency report (Article 7(2))" in Email.objects.latest("pk").body_text
    assert services.obligations_digest_send(today=date(2017, 4, 1)) == 0
    assert ObligationNotice.objects.filter(article=ob.INITIAL_REPORT).count() == 2


def test_the_digest_runs_daily_from_the_states_schedule():
    [job] = schedule.JOBS
    assert isinstance(job, Job) and job.name == "states.send_obligations_digest"
