"""The migrations that make the daily cap count every action together, and letter templates hold the body only."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.letters.models import Action, DailySlot
from coalition.letters.tests.factories import official
from coalition.lib.tests.migrations import migrate_back_to, migrate_to_latest

BEFORE = [("letters", "0003_person_identifiers_term_party")]


@pytest.mark.django_db(transaction=True)
def test_each_officials_day_keeps_one_ledger_row_adding_up_every_actions_messages():
    OldSlot, OldAction = migrate_back_to(BEFORE, "letters.DailySlot", "letters.Action")
    # Officials have the same tables before and after; actions gained columns since.
    minister, other = official(email="a@gov.example"), official(email="b@gov.example")
    first, second = (
        OldAction.objects.create(slug=slug, title=slug, ask="Join.", letter_subject="Join", letter_template="Join.")
        for slug in ("first", "second")
    )
    day = date(2026, 12, 1)
    OldSlot.objects.create(action_id=first.pk, position_id=minister.pk, day=day, count=200)
    OldSlot.objects.create(action_id=second.pk, position_id=minister.pk, day=day, count=150)
    OldSlot.objects.create(action_id=second.pk, position_id=other.pk, day=day, count=3)

    migrate_to_latest()

    assert sorted(DailySlot.objects.values_list("position_id", "day", "count")) == [
        (minister.pk, day, 350),
        (other.pk, day, 3),
    ]


@pytest.mark.django_db(transaction=True)
def test_old_templates_lose_their_greeting_and_signature_so_no_visitor_sees_merge_fields():
    before = [("letters", "0004_cap_per_official_across_actions")]
    [OldAction] = migrate_back_to(before, "letters.Action")
    old = OldAction.objects.create(
        slug="old",
        title="Old",
        ask="Join.",
        letter_subject="For {{ official_name }}",
        letter_template="Dear {{ official_title }} {{ official_name }},\n\nPlease join the Convention.\n\n"
        "Yours sincerely,\n{{ supporter_name }}, {{ supporter_town }}",
    )

    migrate_to_latest()

    migrated = Action.objects.get(pk=old.pk)
    assert migrated.letter_template == "Please join the Convention."
    assert migrated.letter_subject == "For {{ official_name }}", "subjects keep their merge fields"
    assert migrated.language == "en" and migrated.translations == {}
