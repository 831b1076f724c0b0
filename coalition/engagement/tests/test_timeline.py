"""A state's engagement timeline (`selectors.state_timeline`), for a state with data in every capability."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db.models import Q

from coalition.engagement.models import Visibility
from coalition.engagement.selectors import state_timeline
from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory, OfficialMetFactory
from coalition.letters.models import Message, Reply
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def norway_with_everything(org_a, org_b):
    norway = StateFactory(iso3="NOR", name="Norway")
    laos = StateFactory(iso3="LAO", name="Laos")
    minister = official(state=norway, name="Espen", title="Minister of Foreign Affairs", email="m@mfa.no.example")
    elsewhere = official(state=laos, title="Lao Minister", email="m@mfa.la.example")
    action = ActionFactory(slug="ratify-now", title="Ratify now", targets=[minister, elsewhere])
    for n in range(3):
        write(action, email=f"writer{n}@example.org")
    sent_on = datetime(2025, 3, 10, 12, tzinfo=UTC)
    Message.objects.filter(Q(position=minister) | Q(position=elsewhere)).update(
        status=Message.Status.SENT, sent_at=sent_on
    )
    Reply.objects.create(
        action=action,
        position=minister,
        received_on=date(2025, 4, 2),
        summary="We are studying it.",
        stance="noncommittal",
    )
    open_meeting = OfficialMeetingFactory(state=norway, organisation=org_b, held_on=date(2025, 5, 6))
    OfficialMetFactory(meeting=open_meeting, name="Espen", title="Minister of Foreign Affairs")
    CommitmentFactory(meeting=open_meeting, text="Table the bill", status="in_progress")
    restricted = OfficialMeetingFactory(
        state=norway, organisation=org_a, held_on=date(2025, 6, 1), visibility=Visibility.RESTRICTED
    )
    CommitmentFactory(meeting=restricted, text="Private promise")
    OfficialMeetingFactory(state=laos, organisation=org_b, held_on=date(2025, 5, 6))
    return norway


def _lines(entries):
    return [(e.on.isoformat(), e.kind, e.title, e.status) for e in entries]


def test_the_timeline_holds_meetings_commitments_letters_and_replies_newest_first(norway_with_everything, edna):
    assert _lines(state_timeline(state=norway_with_everything, user=edna)) == [
        ("2025-06-01", "meeting", "Meeting with officials", "Held"),
        ("2025-06-01", "commitment", "Commitment: Private promise", "Made"),
        ("2025-05-06", "meeting", "Meeting with Espen, Minister of Foreign Affairs", "Held"),
        ("2025-05-06", "commitment", "Commitment: Table the bill", "In progress"),
        ("2025-04-02", "reply", "Reply from Minister of Foreign Affairs (Ratify now)", "Non-committal"),
        ("2025-03-10", "letters", "3 letters sent: Ratify now", ""),
    ]


def test_another_organisation_never_sees_the_restricted_meeting(norway_with_everything, bruno):
    lines = _lines(state_timeline(state=norway_with_everything, user=bruno))
    assert [line[2] for line in lines] == [
        "Meeting with Espen, Minister of Foreign Affairs",
        "Commitment: Table the bill",
        "Reply from Minister of Foreign Affairs (Ratify now)",
        "3 letters sent: Ratify now",
    ]


def test_visitors_and_people_outside_the_coalition_get_nothing_and_cost_no_query(
    norway_with_everything, sam, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert state_timeline(state=norway_with_everything, user=AnonymousUser()) == []
    assert state_timeline(state=norway_with_everything, user=sam) == []


def test_the_timeline_reads_a_fixed_number_of_queries(norway_with_everything, carol, django_assert_num_queries):
    state_timeline(state=norway_with_everything, user=carol)  # the permissions, once per request
    for _n in range(3):
        CommitmentFactory(meeting=OfficialMeetingFactory(state=norway_with_everything, held_on=date(2024, 1, 1)))
    with django_assert_num_queries(5):
        assert len(state_timeline(state=norway_with_everything, user=carol)) == 12
