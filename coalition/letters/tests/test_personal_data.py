"""A writer's letters in their data export and page, and gone with their erasure: the text and their
details scrubbed, nothing more sent in their name, the counts unchanged."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.core.audit import Actor
from coalition.core.models import Email, OutboxMessage
from coalition.letters import delivery, housekeeping, services
from coalition.letters.models import Action, ActionCount, Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.members.models import Supporter
from coalition.members.supporters import DATA_LINK_SALT, supporter_erase, supporter_token

pytestmark = pytest.mark.django_db

OWN_WORDS = "\n\nI saw what a bomblet did to my neighbour's son in Bergen."


def _erase(email: str = "ana@example.org") -> None:
    supporter_erase(supporter=Supporter.objects.get(email=email), by=Actor.SUBJECT)


def _data_page(email: str = "ana@example.org") -> str:
    token = supporter_token(Supporter.objects.get(email=email), salt=DATA_LINK_SALT)
    return f"/members/my-data/{token}/"


def _staff_csv(client, user, action) -> str:
    client.force_login(user)
    response = client.get(f"/act/{action.slug}/staff/messages.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_erasing_the_writer_scrubs_a_sent_letter_and_keeps_the_counts(
    client, carol, action, outbox_backend, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = write(
            action, name="Ana Writer", town="Bergen", constituency="Vestland", body=action.letter_template + OWN_WORDS
        )
        services.letter_confirm(letter=letter)
    run_tasks()
    message = Message.objects.get(letter=letter)
    assert message.status == Message.Status.SENT
    signature, sent_at = message.signature, message.sent_at

    _erase()

    letter.refresh_from_db()
    assert (letter.name, letter.town, letter.constituency, letter.body) == ("", "", "", "")
    assert letter.scrubbed_at is not None and letter.status == Letter.Status.CONFIRMED
    message.refresh_from_db()
    assert (message.subject, message.body) == ("", "")
    assert message.status == Message.Status.SENT and message.sent_at == sent_at, "what was sent stays sent"
    assert message.signature == signature and message.recipient_title.startswith("Minister")
    action.refresh_from_db()
    assert (action.confirmed_count, action.sent_count) == (1, 1)
    assert (ActionCount.objects.get(action=action).confirmed, ActionCount.objects.get(action=action).sent) == (1, 1)

    exported = _staff_csv(client, carol, action)
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert row["status"] == "sent" and row["writer_name"] == "" and row["writer_email"] == ""
    assert "Ana" not in exported and "Bergen" not in exported
    # Nothing of hers stays in the mail: neither what we wrote to her nor the copy of her letter.
    assert not Email.objects.filter(to="ana@example.org").exists()
    assert not Email.objects.filter(body_text__contains="Ana Writer").exists()
    assert not OutboxMessage.objects.filter(body_text__contains="neighbour's son").exists()
    assert not OutboxMessage.objects.filter(from_email__contains="Ana Writer").exists()


def test_nothing_waiting_for_delivery_is_sent_after_the_writer_is_erased(
    action, minister, norway, settings, outbox_backend, run_tasks, django_capture_on_commit_callbacks
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    later = ActionFactory(slug="cap-reached", targets=[official(state=norway, email="pm@gov.no.example")])
    fresh = ActionFactory(slug="fresh", targets=[official(state=norway, email="defence@gov.no.example")])
    unconfirmed_action = ActionFactory(slug="unconfirmed", targets=[official(state=norway, email="mp@gov.no.example")])
    with django_capture_on_commit_callbacks(execute=True):
        # Others first: Bo takes today's place with the minister, Carl today's with the prime minister.
        services.letter_confirm(letter=write(action, email="bo@example.org", name="Bo Other"))
        services.letter_confirm(letter=write(later, email="carl@example.org", name="Carl Other"))
        unconfirmed = write(unconfirmed_action, name="Ana Writer")
        held = write(action, name="Ana Writer")  # the same text as Bo's: held for review
        services.letter_confirm(letter=held)
        settings.LETTERS_SIMILARITY_PERCENT = 101
        tomorrow = write(later, name="Ana Writer")  # confirmed at once (her address was just proved)
        today = write(fresh, name="Ana Writer")
    status = dict(Message.objects.filter(letter__supporter__email="ana@example.org").values_list("letter", "status"))
    assert status == {unconfirmed.pk: "unconfirmed", held.pk: "held", tomorrow.pk: "pending", today.pk: "pending"}
    confirmed = list(Action.objects.order_by("pk").values_list("confirmed_count", flat=True))

    _erase()
    run_tasks()

    mine = Message.objects.filter(letter__supporter__status=Supporter.Status.ERASED)
    assert dict(mine.values_list("letter", "status")) == {
        unconfirmed.pk: "expired",
        held.pk: "failed",
        tomorrow.pk: "failed",
        today.pk: "failed",
    }
    assert set(mine.exclude(status="expired").values_list("last_error", flat=True)) == {delivery.ERASED}
    assert Letter.objects.get(pk=unconfirmed.pk).status == Letter.Status.EXPIRED
    sent = OutboxMessage.objects.exclude(to__in=["bo@example.org", "carl@example.org"])
    assert sorted(sent.values_list("to", flat=True)) == ["minister@mfa.no.example", "pm@gov.no.example"]
    assert all("Other via" in m.from_email for m in sent), "only Bo's and Carl's letters went out"
    # Tomorrow comes: its delivery task finds nothing to send.
    Message.objects.filter(letter=tomorrow).update(send_after=timezone.now() - timedelta(seconds=1))
    assert delivery.message_deliver(message_id=Message.objects.get(letter=tomorrow).pk) == "skipped (failed)"
    assert list(Action.objects.order_by("pk").values_list("confirmed_count", flat=True)) == confirmed
    assert (
        sum(Action.objects.values_list("sent_count", flat=True)) == 2 == Message.objects.filter(status="sent").count()
    )


def test_a_message_in_flight_at_erasure_is_left_to_its_worker_and_never_sent_again(action, outbox_backend):
    letter = write(action, name="Ana Writer")
    services.letter_confirm(letter=letter)
    message = Message.objects.get()
    # A worker holds the lease: it is talking to the mail server at this very moment.
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() + timedelta(seconds=60))

    _erase()

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and message.body == "", "its outcome is the worker's to record"
    # The worker died before recording anything; once the lease runs out, delivery refuses the message.
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert delivery.message_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.last_error == delivery.ERASED
    assert not OutboxMessage.objects.exists()


def test_delivery_refuses_a_scrubbed_letter_even_with_the_writer_still_known(action, outbox_backend):
    services.letter_confirm(letter=write(action))
    Letter.objects.update(scrubbed_at=timezone.now(), body="", name="")

    assert delivery.message_deliver(message_id=Message.objects.get().pk) == "failed"
    assert not OutboxMessage.objects.exists()


def test_the_retention_scrub_also_clears_the_subject_which_may_carry_the_name(action, settings):
    settings.LETTERS_RETENTION_DAYS = 28
    Action.objects.filter(pk=action.pk).update(letter_subject="From {{ supporter_name }}")
    action.refresh_from_db()
    letter = write(action, name="Ana Writer", constituency="Vestland")
    services.letter_confirm(letter=letter)
    long_ago = timezone.now() - timedelta(days=29)
    Letter.objects.filter(pk=letter.pk).update(confirmed_at=long_ago)
    Message.objects.update(status=Message.Status.SENT, sent_at=long_ago)
    assert Message.objects.get().subject == "From Ana Writer"

    assert housekeeping.letters_scrub() == 1

    assert Message.objects.get().subject == ""
    assert Letter.objects.get().constituency == ""


def test_the_export_lists_the_letters_with_their_officials_delivery_and_answers(client, action):
    letter = write(action, name="Ana Writer", body=action.letter_template + OWN_WORDS)
    services.letter_confirm(letter=letter)
    Message.objects.update(status=Message.Status.SENT, sent_at=timezone.now())
    services.message_answer(letter=letter, answers={Message.objects.get().pk: "yes"})

    page = client.get(_data_page())
    download = json.loads(client.get(_data_page() + "?format=json").content)

    [exported] = download["letters"]
    assert exported["action"] == "Write to Norway" and exported["status"] == "confirmed"
    assert exported["delivery"] == "email" and exported["name"] == "Ana Writer"
    assert "neighbour's son" in exported["text"]
    [to] = exported["officials"]
    assert to["title"] == "Minister of Foreign Affairs of Norway" and to["name"] == "Espen Barth Eide"
    assert (to["status"], to["replied"]) == ("sent", "yes") and to["sent_at"]
    assert "Letters you wrote" in page.text and "Write to Norway" in page.text
    assert "Espen Barth Eide" in page.text and "Yes, the official replied" in page.text
    assert "neighbour&#x27;s son" in page.text


def test_after_the_retention_scrub_the_export_keeps_the_letter_without_its_text(client, action, settings):
    settings.LETTERS_RETENTION_DAYS = 28
    services.letter_confirm(letter=write(action, body=action.letter_template + OWN_WORDS))
    long_ago = timezone.now() - timedelta(days=29)
    Letter.objects.update(confirmed_at=long_ago)
    Message.objects.update(status=Message.Status.SENT, sent_at=long_ago)
    housekeeping.letters_scrub()

    page = client.get(_data_page())
    [exported] = json.loads(client.get(_data_page() + "?format=json").content)["letters"]

    assert exported["text"] is None and exported["scrubbed_at"] and exported["officials"][0]["status"] == "sent"
    assert "The text of this letter and your details on it were deleted." in page.text
    assert "neighbour" not in page.text


def test_the_data_page_runs_the_same_queries_however_many_letters(client, action, norway):
    services.letter_confirm(letter=write(action))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_data_page()).status_code == 200
        return len(captured)

    one = queries()
    for n in range(3):
        other = ActionFactory(targets=[official(state=norway), official(state=norway)])
        write(other, body=other.letter_template + f" {n}")
    assert Letter.objects.count() == 4
    assert queries() == one
