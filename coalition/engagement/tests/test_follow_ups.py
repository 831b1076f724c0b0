"""Follow-ups: who may be given one (a coalition user who may read its meeting), and who completes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.core.models import AuditEntry
from coalition.engagement import follow_ups
from coalition.engagement.models import FollowUp, Visibility
from coalition.engagement.services import EngagementError
from coalition.engagement.tests.factories import FollowUpFactory, OfficialMeetingFactory

pytestmark = pytest.mark.django_db


def test_a_follow_up_without_owner_or_due_in_the_past_is_refused(edna, org_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(EngagementError, match="needs an owner"):
        follow_ups.follow_up_create(by=edna, title="Call back", owner=None, due_on=timezone.localdate())
    with pytest.raises(EngagementError, match="in the past"):
        follow_ups.follow_up_create(by=edna, title="Call back", owner=edna, due_on=yesterday)
    assert not FollowUp.objects.exists()


def test_a_follow_up_goes_to_coalition_users_who_may_read_its_meeting(edna, bruno, carol, sam, org_a, norway):
    restricted = OfficialMeetingFactory(state=norway, organisation=org_a, visibility=Visibility.RESTRICTED)
    due = timezone.localdate() + timedelta(days=5)

    with pytest.raises(EngagementError, match="not a coalition user"):
        follow_ups.follow_up_create(by=edna, title="Call", owner=sam, due_on=due)
    with pytest.raises(EngagementError, match="may not read this restricted meeting"):
        follow_ups.follow_up_create(by=edna, title="Call", owner=bruno, due_on=due, meeting=restricted)
    assert not FollowUp.objects.exists()

    follow_up = follow_ups.follow_up_create(by=edna, title="Call", owner=carol, due_on=due, meeting=restricted)
    assert follow_up.state_id == "NOR"
    assert AuditEntry.objects.filter(action="follow_up.create").count() == 1


def test_only_the_owner_or_staff_complete_a_follow_up(edna, bruno, carol):
    follow_up = FollowUpFactory(owner=edna)
    with pytest.raises(EngagementError):
        follow_ups.follow_up_complete(follow_up=follow_up, by=bruno)
    follow_ups.follow_up_complete(follow_up=follow_up, by=carol)
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.completed_at is not None
