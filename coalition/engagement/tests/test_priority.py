from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.engagement.models import Visibility
from coalition.engagement.priority import Priority, state_priority
from coalition.engagement.selectors import state_priorities
from coalition.engagement.tests.factories import CommitmentFactory
from coalition.states.tests.factories import StateFactory, signatory, state_party


@pytest.mark.parametrize(
    ("status", "commitments", "expected"),
    [
        ("signatory", [], Priority.HIGH),
        ("signatory", ["broken"], Priority.HIGH),
        ("non_signatory", [], Priority.MEDIUM),
        ("non_signatory", ["broken"], Priority.MEDIUM),
        ("non_signatory", ["made"], Priority.HIGH),
        ("non_signatory", ["kept"], Priority.HIGH),
        ("state_party", [], Priority.LOW),
        ("state_party", ["kept"], Priority.LOW),
        ("state_party", ["in_progress"], Priority.MEDIUM),
        ("state_party", ["broken"], Priority.MEDIUM),
    ],
)
def test_the_priority_comes_from_treaty_status_and_recent_commitments(status, commitments, expected):
    assert state_priority(status=status, recent_commitments=commitments) == expected


@pytest.mark.django_db
def test_only_recent_coalition_visible_commitments_move_a_state(org_a):
    party = state_party("NOR", name="Norway")
    moving = StateFactory(iso3="USA", name="United States")
    old = StateFactory(iso3="RUS", name="Russia")
    hidden = StateFactory(iso3="CHN", name="China")
    sig = signatory("IDN", name="Indonesia")
    today = timezone.localdate()
    CommitmentFactory(meeting__state=party, status="in_progress")
    CommitmentFactory(meeting__state=moving, status="made")
    CommitmentFactory(meeting__state=old, meeting__held_on=today - timedelta(days=400), status="made")
    CommitmentFactory(meeting__state=hidden, meeting__visibility=Visibility.RESTRICTED, meeting__organisation=org_a)

    priorities = state_priorities([party, moving, old, hidden, sig])

    assert priorities == {
        "NOR": Priority.MEDIUM,
        "USA": Priority.HIGH,
        "RUS": Priority.MEDIUM,
        "CHN": Priority.MEDIUM,
        "IDN": Priority.HIGH,
    }
