"""`generate_demo_data` adds officials and letters with kept counts that match what it made."""

from __future__ import annotations

import random

import pytest

from coalition.letters import demo_data
from coalition.letters.models import Action, ActionCount, Message
from coalition.members.tests.factories import SupporterFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


def test_demo_letters_come_with_officials_and_matching_counts():
    StateFactory(iso3="NOR", name="Norway")
    StateFactory(iso3="USA", name="United States")
    SupporterFactory(email="demo-supporter-000001@example.invalid")

    demo_data.generate(volumes={"letters": 40}, rng=random.Random(1), log=lambda message: None)  # noqa: S311
    demo_data.generate(volumes={"letters": 40}, rng=random.Random(1), log=lambda message: None)  # noqa: S311

    action = Action.objects.get(slug="demo-join-the-ban")
    assert Message.objects.count() == 40, "running twice adds nothing"
    assert action.confirmed_count == action.sent_count == 40
    assert sum(ActionCount.objects.values_list("confirmed", flat=True)) == 40
