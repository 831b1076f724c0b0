"""Confirmation: the link shows a button, the POST confirms once, the counts move once."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from coalition.letters import tokens
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.helpers import write
from coalition.members.models import Supporter

pytestmark = pytest.mark.django_db


def test_the_confirm_link_shows_a_button_and_only_the_post_confirms(client, action):
    letter = write(action)
    token = tokens.letter_token(letter)

    page = client.get(f"/act/confirm/{token}/")
    assert page.status_code == 200
    assert "Yes, send my letter" in page.text
    letter.refresh_from_db()
    assert letter.status == Letter.Status.UNCONFIRMED, "mail scanners that open links confirm nothing"

    response = client.post(f"/act/confirm/{token}/")

    assert response.status_code == 200
    assert "Your letter is on its way to:" in response.text
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CONFIRMED
    assert letter.supporter.status == Supporter.Status.CONFIRMED
    assert Message.objects.get().status == Message.Status.PENDING


def test_confirming_twice_counts_and_queues_once(client, action):
    letter = write(action)
    token = tokens.letter_token(letter)
    deliveries = DBTaskResult.objects.filter(task_path="coalition.letters.delivery.deliver_message")

    client.post(f"/act/confirm/{token}/")
    first = deliveries.count()
    client.post(f"/act/confirm/{token}/")

    assert (first, deliveries.count()) == (1, 1)
    action.refresh_from_db()
    assert action.confirmed_count == 1


def test_a_forged_or_expired_link_is_refused(client, action, settings):
    letter = write(action)
    assert client.post("/act/confirm/not-a-token/").status_code == 400

    settings.LETTERS_CONFIRM_DAYS = 0
    import time

    time.sleep(1)
    assert client.post(f"/act/confirm/{tokens.letter_token(letter)}/").status_code == 400
    assert Action.objects.get(pk=action.pk).confirmed_count == 0


def test_a_postal_letter_is_confirmed_for_printing_and_never_e_mailed(client, action, run_tasks):
    letter = write(action, delivery="post")
    response = client.post(f"/act/confirm/{tokens.letter_token(letter)}/")

    assert "Download the printable letter (PDF)" in response.text
    assert Message.objects.get().status == Message.Status.POSTAL
    run_tasks()
    assert Message.objects.get().status == Message.Status.POSTAL
