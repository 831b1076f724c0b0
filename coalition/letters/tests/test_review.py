"""Near-identical letters to the same official are held for staff review, who send or drop them."""

from __future__ import annotations

import pytest

from coalition.letters import services
from coalition.letters.models import Action, Message
from coalition.letters.tests.factories import official
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db

PERSONAL = (
    "I live in Bergen. Last summer I met "
    "a farmer in Laos whose son lost his hands to a bomblet found in a rice field forty years after the "
    "war ended. Please make sure our country never buys or uses these weapons again."
)


def test_a_letter_nearly_identical_to_one_already_queued_for_the_same_official_is_held(action):
    services.letter_confirm(letter=write(action, email="a@example.org", name="Ana"))
    services.letter_confirm(letter=write(action, email="b@example.org", name="Bo"))

    first, second = Message.objects.order_by("id")
    assert first.status == Message.Status.PENDING
    assert second.status == Message.Status.HELD
    assert "similar to message" in second.hold_reason


def test_a_personal_letter_is_not_held(action):
    services.letter_confirm(letter=write(action, email="a@example.org"))
    services.letter_confirm(letter=write(action, email="b@example.org", body=PERSONAL))

    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}


def test_the_same_text_to_another_official_is_not_held(action, norway):
    other = official(state=norway, name="Another Official")
    from coalition.letters.tests.factories import ActionFactory

    second_action = ActionFactory(targets=[other])
    services.letter_confirm(letter=write(action, email="a@example.org"))
    services.letter_confirm(letter=write(second_action, email="b@example.org"))

    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}


def test_staff_release_a_held_message_into_the_queue_or_reject_it(client, carol, action):
    for n in range(3):
        services.letter_confirm(letter=write(action, email=f"w{n}@example.org"))
    _first, held_a, held_b = Message.objects.order_by("id")
    client.force_login(carol)

    page = client.get(f"/act/{action.slug}/staff/")
    assert page.status_code == 200
    assert "Held for review" in page.text

    client.post(f"/act/{action.slug}/staff/review/{held_a.pk}/", {"decision": "release"})
    client.post(f"/act/{action.slug}/staff/review/{held_b.pk}/", {"decision": "reject"})

    held_a.refresh_from_db()
    held_b.refresh_from_db()
    assert held_a.status == Message.Status.PENDING and held_a.send_after is not None
    assert held_b.status == Message.Status.REJECTED
    assert Action.objects.get(pk=action.pk).confirmed_count == 2


def test_a_supporter_cannot_reach_the_review(client, sam, action):
    client.force_login(sam)
    assert client.get(f"/act/{action.slug}/staff/").status_code == 403
