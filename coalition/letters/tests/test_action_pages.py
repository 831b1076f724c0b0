"""What visitors see on /act/ and /act/<slug>/, at a fixed number of queries whatever the volume."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from coalition.letters import services, tokens
from coalition.letters.models import Action, ActionCount, Letter, Message, Role
from coalition.letters.tests.factories import ActionFactory, PositionFactory, official
from coalition.lib.tests.helpers import body
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_live_actions_only(client, minister):
    ActionFactory(title="Live action", targets=[minister])
    ActionFactory(title="Draft action", status=Action.Status.DRAFT)
    ActionFactory(title="Ended action", ends_on=date(2024, 6, 1))
    ActionFactory(title="Future action", starts_on=timezone.localdate() + timedelta(days=3))

    response = client.get("/act/")

    assert response.status_code == 200
    assert "Live action" in response.text
    for title in ["Draft action", "Ended action", "Future action"]:
        assert title not in response.text


def test_the_action_page_shows_the_ask_the_rule_the_officials_and_the_letter(client, action):
    response = client.get("/act/write-to-norway/")

    assert response.status_code == 200
    assert "Join the Convention on Cluster Munitions." in response.text
    assert "Your letter goes to each official listed below." in response.text
    assert "Espen Barth Eide" in response.text
    assert "I am writing to ask that our government joins" in response.text, "the template, to read and edit"
    assert "{{" not in response.text, "no template code reaches a visitor"


def test_a_draft_is_not_public_but_staff_can_preview_and_publish_it(client, carol, minister):
    draft = ActionFactory(slug="draft", status=Action.Status.DRAFT, targets=[minister])
    assert client.get("/act/draft/").status_code == 404

    client.force_login(carol)
    preview = client.get("/act/draft/preview/")
    assert preview.status_code == 200
    assert "Preview" in preview.text

    response = client.post("/act/draft/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Action.Status.PUBLISHED
    assert client.get("/act/draft/").status_code == 200


def test_the_own_state_page_asks_for_the_state_then_shows_its_officials(client, norway):
    official(state=norway, name="Espen Barth Eide")
    ActionFactory(slug="own", target=Action.Target.OWN_STATE, target_role=Role.FOREIGN_MINISTER)

    first = client.get("/act/own/")
    assert "Choose your state below." in first.text
    assert "Espen Barth Eide" not in first.text

    chosen = client.get("/act/own/?state=NOR")
    assert "Espen Barth Eide" in chosen.text
    assert 'name="body"' in chosen.text


def test_the_page_says_what_happens_to_letters_for_vacant_and_unverified_positions(client, norway):
    vacant = PositionFactory(state=norway, title="Minister of Defence")
    stale = official(state=norway, name="Old Details")
    stale.current_term.verified_on = None
    stale.current_term.save()
    ActionFactory(slug="flags", targets=[vacant, stale])

    response = client.get("/act/flags/")

    assert "One position is vacant: no letter is written to it" in response.text
    assert "contact details not recently verified" in response.text


def test_the_progress_bar_shows_kept_counts_against_the_goal(client, action):
    Action.objects.filter(pk=action.pk).update(confirmed_count=40, sent_count=35, goal=100)

    response = client.get("/act/write-to-norway/")

    assert '<progress max="100" value="40"' in response.text
    assert "40 letters of a goal of 100 (35 delivered by e-mail so far)" in response.text


def test_public_replies_appear_on_the_action_page_and_private_ones_do_not(client, action, minister, carol):
    services.reply_log(
        action=action, position=minister, summary="We will study it.", stance="noncommittal", public=True, by=carol
    )
    services.reply_log(action=action, position=minister, summary="Internal note", stance="opposed", by=carol)

    response = client.get("/act/write-to-norway/")

    assert "We will study it." in response.text
    assert "Internal note" not in response.text


def _volume(action, position, n: int) -> None:
    supporter: Any = SupporterFactory()
    letters = Letter.objects.bulk_create(
        Letter(action=action, supporter=supporter, name=f"W{i}", town="T", body="x", status="confirmed")
        for i in range(n)
    )
    sent = {"recipient_name": "R", "recipient_title": "T", "subject": "S", "body": "B", "status": "sent"}
    Message.objects.bulk_create(Message(letter=letter, action=action, position=position, **sent) for letter in letters)
    ActionCount.objects.create(action=action, position=position, state=position.state, confirmed=n, sent=n)
    Action.objects.filter(pk=action.pk).update(confirmed_count=n, sent_count=n)


@pytest.mark.parametrize("volume", [0, 10_000])
def test_the_action_page_runs_a_fixed_number_of_queries_whatever_the_number_of_messages(
    client, action, minister, volume, django_assert_num_queries, carol
):
    _volume(action, minister, volume)
    services.reply_log(action=action, position=minister, summary="Thanks.", stance="supportive", public=True, by=carol)

    with django_assert_num_queries(4):
        response = client.get("/act/write-to-norway/")

    assert response.status_code == 200


@pytest.mark.parametrize("volume", [0, 10_000])
def test_the_own_state_page_runs_a_fixed_number_of_queries(client, norway, volume, django_assert_num_queries):
    minister = official(state=norway)
    action = ActionFactory(slug="own", target=Action.Target.OWN_STATE, target_role=Role.FOREIGN_MINISTER)
    _volume(action, minister, volume)

    with django_assert_num_queries(7):
        response = client.get("/act/own/?state=NOR")

    assert response.status_code == 200


@pytest.mark.parametrize("volume", [0, 10_000])
def test_the_list_of_actions_runs_a_fixed_number_of_queries(
    client, action, minister, volume, django_assert_num_queries
):
    _volume(action, minister, volume)
    ActionFactory.create_batch(3)

    with django_assert_num_queries(1):
        response = client.get("/act/")

    assert response.status_code == 200


def test_the_action_page_never_shows_a_supporters_email(client, action):
    from coalition.letters.tests.helpers import write

    letter = write(action, email="secret-writer@example.org")
    services.letter_confirm(letter=letter)

    assert "secret-writer" not in client.get("/act/write-to-norway/").text
    assert "secret-writer" not in client.get("/api/v1/actions/").text
    assert "secret-writer" not in body(client.get("/api/v1/actions/?format=csv"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Qui reçoit la lettre"), ("es", "Quién recibe la carta"), ("ar", "من يتلقى الرسالة")],
)
def test_the_action_page_speaks_french_spanish_and_arabic(client, action, language, expected):
    response = client.get(f"/{language}/act/write-to-norway/")
    assert expected in response.text


@pytest.mark.parametrize("volume", [0, 10_000])
def test_the_thanks_confirm_and_follow_up_pages_run_a_fixed_number_of_queries(
    client, action, minister, volume, django_assert_num_queries
):
    from coalition.letters.tests.helpers import write

    _volume(action, minister, volume)
    letter = write(action, email="counted@example.org")
    services.letter_confirm(letter=letter)
    Message.objects.filter(letter=letter).update(status="sent")
    confirm_token = tokens.letter_token(letter)
    link_token = tokens.letter_token(letter, salt=tokens.LETTER_LINK_SALT)

    with django_assert_num_queries(1):
        assert client.get("/act/write-to-norway/thanks/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/act/confirm/{confirm_token}/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"/act/replied/{link_token}/").status_code == 200


def test_the_alerts_box_and_the_letters_by_state_table_are_in_the_readers_language(client, action, minister):
    ActionCount.objects.create(action=action, position=minister, state=minister.state, confirmed=3, sent=2)

    html = client.get("/fr/act/write-to-norway/").content.decode()

    assert "Écrivez-moi quand il y a une action à mener" in html
    assert "E-mail me when there is an action" not in html
    assert "<td>Norvège</td>" in html
