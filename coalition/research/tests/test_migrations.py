"""The migration that gives casualty records counts broken down by sex, age and status (decision 0602)."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.lib.tests.migrations import migrate_back_to, migrate_to_latest
from coalition.research.models import Casualty, CasualtyTotal

BEFORE = [("research", "0002_forget_exports_with_exact_coordinates")]


@pytest.mark.django_db(transaction=True)
def test_records_of_one_person_become_records_with_a_count_of_one_in_each_known_breakdown():
    State, Source, OldCasualty, OldTotal = migrate_back_to(
        BEFORE, "states.State", "research.Source", "research.Casualty", "research.CasualtyTotal"
    )
    State.objects.create(iso3="LAO", name="Laos", country="LA")
    source = Source.objects.create(title="UXO Lao")
    common = {"state_id": "LAO", "source": source, "date": date(2019, 5, 1), "year": 2019, "status": "approved"}
    girl = OldCasualty.objects.create(killed=1, sex="female", age_group="child", civilian_status="civilian", **common)
    man = OldCasualty.objects.create(injured=1, sex="male", age_group="adult", civilian_status="deminer", **common)
    group = OldCasualty.objects.create(killed=3, injured=2, sex="unknown", age_group="child", **common)
    OldTotal.objects.create(state_id="LAO", year=2019, sex="female", age_group="child", civilian_status="civilian")

    migrate_to_latest()

    girl_now, man_now, group_now = (Casualty.objects.get(pk=record.pk) for record in (girl, man, group))
    assert girl_now.breakdown("killed") == {
        **dict.fromkeys(girl_now.breakdown("killed"), 0),
        "female": 1,
        "children": 1,
        "girls": 1,
        "civilians": 1,
    }
    assert sum(girl_now.breakdown("injured").values()) == 0
    assert {k: v for k, v in man_now.breakdown("injured").items() if v} == {
        "male": 1,
        "adults": 1,
        "men": 1,
        "deminers": 1,
    }
    assert {k: v for k, v in group_now.breakdown("killed").items() if v} == {"children": 3}
    assert {k: v for k, v in group_now.breakdown("injured").items() if v} == {"children": 2}
    total = CasualtyTotal.objects.get()
    assert (total.killed, total.injured, total.records) == (4, 3, 3)
    assert (total.killed_girls, total.killed_children, total.injured_men, total.injured_deminers) == (1, 4, 1, 1)
