"""A state that moves out of the treaty status an action targets stops being targeted at once, and what was
already queued for its officials waits for a campaigner's decision."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.core.audit import Actor
from coalition.core.models import Email
from coalition.letters import selectors, services
from coalition.letters.models import Action, DailySlot, Message, Role
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.states import services as states_services
from coalition.states.models import TreatyEvent
from coalition.states.tests.factories import signatory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_holds(settings):
    settings.LETTERS_SIMILARITY_PERCENT = 101


@pytest.fixture
def indonesia():
    return signatory("IDN", name="Indonesia")


@pytest.fixture
def signatories_action(indonesia):
    official(state=indonesia, role=Role.FOREIGN_MINISTER, email="fm@kemlu.id.example")
    return ActionFactory(
        slug="ratify-now",
        title="Ratify now",
        target=Action.Target.ROLE_BY_STATUS,
        target_role=Role.FOREIGN_MINISTER,
        target_treaty_status="signatory",
    )


def notices() -> list[Email]:
    return list(Email.objects.filter(subject__startswith="Letters held"))


def ratify(state):
    states_services.treaty_event_record(
        state=state,
        kind=TreatyEvent.Kind.RATIFICATION,
        date=date(2024, 5, 2),
        source="UN Treaty Collection",
        by=Actor.SYSTEM,
    )


def test_a_state_that_ratifies_is_no_longer_targeted_by_a_signatories_action_and_its_queued_letters_are_held(
    signatories_action, indonesia, carol, django_capture_on_commit_callbacks
):
    # The targets were read (and cached) before the state moved: the next letter must not reach it.
    assert [p.state_id for p in selectors.action_targets_cached(signatories_action)] == ["IDN"]
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.letter_confirm(letter=write(signatories_action, email=f"w{n}@example.org"))
    assert Message.objects.filter(status="pending").count() == 3
    assert DailySlot.objects.get().count == 3

    ratify(indonesia)

    assert selectors.action_targets_cached(signatories_action) == []
    messages = list(Message.objects.all())
    assert {m.status for m in messages} == {"held"}
    assert all("State party" in m.hold_reason and "Signatory" in m.hold_reason for m in messages)
    assert DailySlot.objects.get().count == 0, "held messages give back their places under the cap"
    signatories_action.refresh_from_db()
    assert signatories_action.confirmed_count == 3, "held letters still count until a campaigner rejects them"

    [notice] = notices()
    assert notice.to == carol.email, "one notice, to the campaigners only"
    assert "Ratify now" in notice.body_text and "Indonesia" in notice.body_text
    assert "3 letters held" in notice.body_text


def test_a_held_letter_released_by_a_campaigner_is_sent_and_a_rejected_one_never(
    signatories_action, indonesia, carol, run_tasks, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            services.letter_confirm(letter=write(signatories_action, email=f"w{n}@example.org"))
        ratify(indonesia)
        first, second = Message.objects.order_by("pk")
        assert services.message_release(message=first, by=carol)
        assert services.message_reject(message=second, by=carol)
    smtp_server.start()

    run_tasks()

    assert len(smtp_server.sink.to("fm@kemlu.id.example")) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {"sent", "rejected"}


def test_a_letter_written_before_the_change_and_confirmed_after_it_is_held_not_sent(
    signatories_action, indonesia, django_capture_on_commit_callbacks
):
    letter = write(signatories_action)
    ratify(indonesia)

    with django_capture_on_commit_callbacks(execute=True):
        services.letter_confirm(letter=letter)

    [message] = Message.objects.all()
    assert message.status == "held"
    assert "State party" in message.hold_reason


def test_a_state_joining_the_targeted_status_is_targeted_at_once_and_nothing_is_held(
    indonesia, django_capture_on_commit_callbacks
):
    parties = ActionFactory(
        target=Action.Target.ROLE_BY_STATUS, target_role=Role.FOREIGN_MINISTER, target_treaty_status="state_party"
    )
    minister = official(state=indonesia, role=Role.FOREIGN_MINISTER)
    assert selectors.action_targets_cached(parties) == []

    ratify(indonesia)

    assert selectors.action_targets_cached(parties) == [minister]
    assert notices() == [], "no notice when nothing was held"


def test_a_status_change_leaves_other_rules_and_other_states_messages_alone(
    signatories_action, indonesia, minister, action, django_capture_on_commit_callbacks
):
    """The fixed-list action to Norway and a signatory that does not move keep their queue."""
    laos = signatory("LAO", name="Laos")
    official(state=laos, role=Role.FOREIGN_MINISTER, email="fm@laos.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_confirm(letter=write(action, email="n@example.org"))
        services.letter_confirm(letter=write(signatories_action, email="s@example.org"))

    ratify(indonesia)

    statuses = dict(Message.objects.values_list("position__state_id", "status"))
    assert statuses == {"NOR": "pending", "IDN": "held", "LAO": "pending"}
