"""Targeting rules: own state (and constituency), a fixed list, or a role in states with a treaty status."""

from __future__ import annotations

import pytest

from coalition.letters import selectors
from coalition.letters.models import Action, Role
from coalition.letters.tests.factories import ActionFactory, PositionFactory, official
from coalition.states.tests.factories import StateFactory, signatory, state_party

pytestmark = pytest.mark.django_db


def test_the_own_state_rule_writes_to_the_officials_of_the_supporters_state_only(norway):
    minister = official(state=norway, role=Role.FOREIGN_MINISTER)
    defence = official(state=norway, role=Role.DEFENCE_MINISTER)
    official(state=StateFactory(iso3="SWE", name="Sweden"), role=Role.FOREIGN_MINISTER)
    action = ActionFactory(target=Action.Target.OWN_STATE, target_role="")

    assert set(selectors.action_targets(action, state=norway)) == {minister, defence}
    assert selectors.action_targets(action, state=None) == []


def test_the_own_state_rule_can_keep_to_one_role_and_the_supporters_constituency(norway):
    oslo = official(state=norway, role=Role.MEMBER_OF_PARLIAMENT, constituency="Oslo", title="MP for Oslo")
    official(state=norway, role=Role.MEMBER_OF_PARLIAMENT, constituency="Bergen", title="MP for Bergen")
    official(state=norway, role=Role.FOREIGN_MINISTER)
    action = ActionFactory(target=Action.Target.OWN_STATE, target_role=Role.MEMBER_OF_PARLIAMENT)

    assert selectors.action_targets(action, state=norway, constituency="oslo") == [oslo]
    assert selectors.action_constituencies(action, norway) == ["Bergen", "Oslo"]
    assert [s.iso3 for s in selectors.action_states(action)] == ["NOR"]


def test_the_fixed_list_rule_writes_to_exactly_the_listed_officials(minister):
    other = official()
    action = ActionFactory(targets=[minister])

    assert selectors.action_targets(action) == [minister]
    assert other not in selectors.action_targets(action)


def test_the_treaty_status_rule_writes_to_a_role_in_every_state_with_that_status():
    usa = official(state=StateFactory(iso3="USA", name="United States"), role=Role.FOREIGN_MINISTER)
    official(state=state_party("NOR"), role=Role.FOREIGN_MINISTER)
    official(state=signatory("IDN"), role=Role.FOREIGN_MINISTER)
    official(state=StateFactory(iso3="RUS", name="Russia"), role=Role.DEFENCE_MINISTER)
    action = ActionFactory(
        target=Action.Target.ROLE_BY_STATUS, target_role=Role.FOREIGN_MINISTER, target_treaty_status="non_signatory"
    )

    assert selectors.action_targets(action) == [usa]


def test_a_vacant_position_is_targeted_but_flagged_so_no_letter_goes_to_it(norway):
    vacant = PositionFactory(state=norway)
    action = ActionFactory(targets=[vacant])

    [position] = selectors.action_targets(action)
    assert position.is_vacant
    assert vacant in selectors.positions_needing_attention()
