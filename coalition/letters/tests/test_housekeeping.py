"""The daily upkeep: one reminder after a day, expiry after seven, the reply question after two weeks,
and scrubbing of personal data after the retention period, the counts staying."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from coalition.core.models import Email
from coalition.letters import housekeeping, services, tokens
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def _age(letter: Letter, **delta) -> None:
    Letter.objects.filter(pk=letter.pk).update(created_at=timezone.now() - timedelta(**delta))


def test_an_unconfirmed_letter_gets_one_reminder_after_a_day(action):
    letter = write(action)
    Email.objects.all().delete()
    assert housekeeping.letters_remind_unconfirmed() == 0, "not before a day"

    _age(letter, hours=25)
    assert housekeeping.letters_remind_unconfirmed() == 1
    assert housekeeping.letters_remind_unconfirmed() == 0, "only one reminder"

    reminder = Email.objects.get()
    assert reminder.subject.startswith("Your letter is not sent yet")
    assert f"/act/confirm/{tokens.letter_token(letter)[:10]}" in reminder.body_text


def test_an_unconfirmed_letter_expires_after_seven_days_and_its_text_is_gone(action, client):
    letter = write(action)
    token = tokens.letter_token(letter)
    _age(letter, days=8)

    assert housekeeping.letters_expire_unconfirmed() == 1

    letter.refresh_from_db()
    assert letter.status == Letter.Status.EXPIRED and letter.body == "" and letter.name == ""
    assert Message.objects.get().status == Message.Status.EXPIRED
    assert client.post(f"/act/confirm/{token}/").status_code == 400


def test_two_weeks_after_sending_the_writer_is_asked_whether_the_official_replied(action, client):
    letter = write(action)
    services.letter_confirm(letter=letter)
    Message.objects.update(status=Message.Status.SENT, sent_at=timezone.now() - timedelta(days=15))
    Email.objects.all().delete()

    assert housekeeping.letters_follow_up() == 1
    assert housekeeping.letters_follow_up() == 0

    question = Email.objects.get()
    assert "Did the officials reply?" in question.subject
    # The link is signed with the time it was made (a second may pass before this test makes its own): read it.
    found = re.search(r"/act/replied/([^/\s]+)/", question.body_text)
    link = found.group(1) if found else ""
    assert tokens.letter_from_token(link, salt=tokens.LETTER_LINK_SALT) == letter

    message = Message.objects.get()
    response = client.post(f"/act/replied/{link}/", {f"m{message.pk}": "yes"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.supporter_answer == "yes" and message.answered_at is not None


def test_sent_letters_are_scrubbed_after_the_retention_period_and_the_counts_stay(action, settings):
    settings.LETTERS_RETENTION_DAYS = 28
    letter = write(action, name="Ana Writer", town="Bergen")
    services.letter_confirm(letter=letter)
    long_ago = timezone.now() - timedelta(days=29)
    Letter.objects.filter(pk=letter.pk).update(confirmed_at=long_ago)
    Message.objects.update(status=Message.Status.SENT, sent_at=long_ago)
    recent = write(action, email="bo@example.org", body=action.letter_template + " My own words here.")
    services.letter_confirm(letter=recent)
    Message.objects.filter(letter=recent).update(status=Message.Status.SENT, sent_at=timezone.now())

    out = StringIO()
    call_command("letters_housekeeping", stdout=out)

    assert "1 scrubbed" in out.getvalue()
    letter.refresh_from_db()
    assert (letter.body, letter.name, letter.town) == ("", "", "")
    assert letter.scrubbed_at is not None
    old = Message.objects.get(letter=letter)
    assert old.body == "" and old.status == Message.Status.SENT
    assert Message.objects.get(letter=recent).body != "", "a recent letter keeps its text"
    assert Action.objects.get(pk=action.pk).confirmed_count == 2


def test_a_letter_still_waiting_for_delivery_is_never_scrubbed(action, settings):
    letter = write(action)
    services.letter_confirm(letter=letter)
    Letter.objects.filter(pk=letter.pk).update(confirmed_at=timezone.now() - timedelta(days=60))

    assert housekeeping.letters_scrub() == 0
