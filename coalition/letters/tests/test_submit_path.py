"""The letter POST's hot path: a fixed number of SQL statements, and the cache of the action and its
officials that saves two of them, forgotten whenever what it holds changes."""

from __future__ import annotations

import pytest

from coalition.letters import selectors, services
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import letter_form

pytestmark = pytest.mark.django_db

# A new writer, with the action and its officials already cached: in one transaction (BEGIN, or a
# savepoint and its release inside the test's transaction, COMMIT) insert the supporter, the consent,
# the letter, its message and the row of the task that writes the confirmation e-mail.
POST_QUERIES = 7
# The first letter after a change also reads the action and its officials.
POST_QUERIES_COLD = POST_QUERIES + 2


def test_a_letter_post_runs_a_fixed_number_of_queries(client, action, django_assert_num_queries):
    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))  # fills the cache

    with django_assert_num_queries(POST_QUERIES):
        response = client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))

    assert response.status_code == 302
    assert Letter.objects.count() == 2


def test_the_first_letter_after_a_change_reads_the_action_again(client, action, django_assert_num_queries):
    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))
    action.title = "Write to Norway today"
    action.save()

    with django_assert_num_queries(POST_QUERIES_COLD):
        client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))


def test_an_unpublished_action_takes_no_more_letters_at_once(client, action):
    assert client.post("/act/write-to-norway/", letter_form(action, email="first@example.org")).status_code == 302
    action.status = Action.Status.DRAFT
    action.save()

    assert client.post("/act/write-to-norway/", letter_form(action, email="second@example.org")).status_code == 404
    assert Letter.objects.count() == 1


def test_an_ended_action_refuses_letters_at_once(client, action):
    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))
    action.ends_on = action.starts_on
    action.save()

    response = client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))

    assert response.status_code == 400
    assert Letter.objects.count() == 1


def test_publishing_is_seen_by_the_next_letter(client, minister, carol):
    draft = ActionFactory(slug="draft", status=Action.Status.DRAFT, targets=[minister])
    assert client.post("/act/draft/", letter_form(draft)).status_code == 404

    services.action_publish(action=draft, by=carol)  # a queryset update: no signal

    assert client.post("/act/draft/", letter_form(draft)).status_code == 302


def test_a_change_of_officials_is_seen_by_the_next_letter(client, action, norway):
    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))
    other = official(state=norway, name="Tore Sandvik", email="defence@mod.no.example")
    action.positions.add(other)

    client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))

    second = Letter.objects.get(supporter__email="second@example.org")
    names = sorted(second.messages.values_list("recipient_name", flat=True))
    assert names == ["Espen Barth Eide", "Tore Sandvik"]


def test_a_new_address_or_holder_is_seen_by_the_next_letter(client, action, minister):
    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))
    term = minister.current_term
    term.email = "new-address@mfa.no.example"
    term.save()
    term.person.name = "Ine Eriksen Soreide"
    term.person.save()

    client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))

    message = Message.objects.get(letter__supporter__email="second@example.org")
    assert (message.recipient_email, message.recipient_name) == ("new-address@mfa.no.example", "Ine Eriksen Soreide")


def test_a_holder_changed_by_the_import_is_seen_by_the_next_letter(client, action, minister):
    from coalition.letters.importing.writing import positions_refresh_current_term
    from coalition.letters.models import Term

    client.post("/act/write-to-norway/", letter_form(action, email="first@example.org"))
    Term.objects.filter(pk=minister.current_term_id).update(ended_on="2020-01-01")  # no signal
    positions_refresh_current_term(position_ids={minister.pk})  # the import's own update: the position is vacant

    response = client.post("/act/write-to-norway/", letter_form(action, email="second@example.org"))

    assert response.status_code == 400, "no official to write to any more"
    assert Letter.objects.count() == 1


def test_the_page_reads_its_counters_fresh(client, action):
    selectors.action_public_get_cached(action.slug)
    type(action).objects.filter(pk=action.pk).update(confirmed_count=42)  # as confirmations do

    response = client.get("/act/write-to-norway/")

    assert response.context["action"].confirmed_count == 42


def test_a_failure_after_the_confirmation_is_queued_leaves_nothing_behind(action, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from coalition.members.models import Supporter

    real_enqueue = services.enqueue_on_commit

    def enqueue_then_fail(task, *args):
        real_enqueue(task, *args)
        assert DBTaskResult.objects.count() == 1, "the task's row is written in the letter's transaction"
        raise RuntimeError("the process dies before the commit")

    monkeypatch.setattr(services, "enqueue_on_commit", enqueue_then_fail)
    with pytest.raises(RuntimeError):
        services.letter_submit(action=action, name="Ana", email="ana@example.org", town="Bergen", body="Please join.")

    assert (Supporter.objects.count(), Letter.objects.count(), Message.objects.count()) == (0, 0, 0)
    assert DBTaskResult.objects.count() == 0
