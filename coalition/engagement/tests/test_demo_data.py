from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coalition.engagement.models import Assignment, Commitment, Delegation, FollowUp, OfficialMeeting
from coalition.states.tests.factories import StateFactory


@pytest.mark.django_db
def test_demo_data_adds_meetings_commitments_follow_ups_and_a_delegation_once(settings):
    for iso3 in ("NOR", "LAO", "LBN", "COL"):
        StateFactory(iso3=iso3)
    from coalition.members.management.commands.generate_demo_data import demo_modules

    wanted = {"organisations": 12, "meetings_with_officials": 40}
    args = []
    for _label, module in demo_modules():
        for name in module.VOLUMES:
            args += [f"--{name.replace('_', '-')}", str(wanted.get(name, 0))]
    out = StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    call_command("generate_demo_data", *args, stdout=StringIO())

    assert OfficialMeeting.objects.count() == 40
    assert Commitment.objects.exists() and FollowUp.objects.exists()
    assert OfficialMeeting.objects.filter(visibility="restricted").count() == 4
    assert Delegation.objects.count() == 1 and Assignment.objects.count() == 4
    assert "40 demo meetings with officials" in out.getvalue()


def test_both_scales_have_a_volume():
    from coalition.engagement.demo_data import VOLUMES

    assert VOLUMES["meetings_with_officials"]["small"] > 0 and VOLUMES["meetings_with_officials"]["large"] > 0
