"""The migration that makes the daily cap count every action together."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coalition.letters.models import DailySlot
from coalition.letters.tests.factories import ActionFactory, official

BEFORE = [("letters", "0003_person_identifiers_term_party")]


@pytest.mark.django_db(transaction=True)
def test_each_officials_day_keeps_one_ledger_row_adding_up_every_actions_messages():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    OldSlot = executor.loader.project_state(BEFORE).apps.get_model("letters", "DailySlot")
    # Officials and actions have the same tables before and after.
    minister, other = official(email="a@gov.example"), official(email="b@gov.example")
    first, second = ActionFactory(slug="first", targets=[minister]), ActionFactory(slug="second", targets=[minister])
    day = date(2026, 12, 1)
    OldSlot.objects.create(action_id=first.pk, position_id=minister.pk, day=day, count=200)
    OldSlot.objects.create(action_id=second.pk, position_id=minister.pk, day=day, count=150)
    OldSlot.objects.create(action_id=second.pk, position_id=other.pk, day=day, count=3)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(DailySlot.objects.values_list("position_id", "day", "count")) == [
        (minister.pk, day, 350),
        (other.pk, day, 3),
    ]
