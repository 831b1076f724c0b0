"""Submitting a letter over HTTP: one transaction, a supporter upserted by e-mail, one message per official,
a confirmation e-mail enqueued on commit; bad input gets a clear message and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.core.models import Email
from coalition.letters.models import Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import letter_form
from coalition.members.models import ConsentRecord, Supporter
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def test_submitting_writes_the_letter_one_message_per_official_and_asks_for_confirmation(client, norway, run_tasks):
    eide = official(state=norway, name="Espen Barth Eide")
    sandvik = official(state=norway, name="Tore Sandvik")
    ActionFactory(slug="two", targets=[eide, sandvik])

    response = client.post("/act/two/", letter_form_for("two", email="Ana@Example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/act/two/thanks/"
    letter = Letter.objects.get()
    assert letter.status == Letter.Status.UNCONFIRMED
    assert letter.supporter.email == "ana@example.org"
    assert sorted(Message.objects.values_list("recipient_name", flat=True)) == ["Espen Barth Eide", "Tore Sandvik"]
    assert set(Message.objects.values_list("status", flat=True)) == {"unconfirmed"}
    # The task's row is written in the letter's transaction (the database task backend), so it exists
    # exactly when the letter does; the worker writes the e-mail.
    tasks = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert tasks == [("coalition.letters.services.send_letter_email", {"args": [letter.pk], "kwargs": {}})], (
        "only the confirmation e-mail is queued; nothing goes to officials yet"
    )

    run_tasks()

    confirm = Email.objects.get()
    assert confirm.to == "ana@example.org"
    assert confirm.status == Email.Status.SENT
    [sent] = mail.outbox
    assert "/act/confirm/" in sent.body
    assert "/act/confirm/" not in confirm.body_text, "the stored copy keeps no secret link (decision 0012)"


def test_the_confirmation_e_mail_is_written_once_even_if_its_task_runs_twice(client, action, run_tasks):
    from coalition.letters.services import letter_email_send

    client.post("/act/write-to-norway/", letter_form(action, email="ana@example.org"))
    run_tasks()
    letter = Letter.objects.get()

    assert letter_email_send(letter_id=letter.pk) == "already written, or no such letter"
    assert Email.objects.filter(to="ana@example.org").count() == 1
    assert letter.confirmation_email == Email.objects.get()


def test_the_confirmation_e_mail_is_in_the_writers_language(client, action, run_tasks):
    client.post("/fr/act/write-to-norway/", letter_form(action, email="ana@example.org"))
    run_tasks()

    assert Email.objects.get().subject.startswith("Confirmez")


def letter_form_for(slug, **overrides):
    from coalition.letters.models import Action

    return letter_form(Action.objects.get(slug=slug), **overrides)


def test_the_same_address_in_another_case_is_the_same_supporter(client, action):
    SupporterFactory(email="ana@example.org", status="pending", confirmed_at=None)

    client.post("/act/write-to-norway/", letter_form(action, email="ANA@example.ORG"))

    assert Supporter.objects.count() == 1
    assert Letter.objects.get().supporter.email == "ana@example.org"


def test_the_supporters_edits_are_kept(client, action):
    body = action.letter_template + "\n\nMy grandfather was injured by a submunition."
    client.post("/act/write-to-norway/", letter_form(action, body=body))

    letter = Letter.objects.get()
    assert letter.edited
    assert "My grandfather" in letter.body
    assert "My grandfather" in Message.objects.get().body


def test_the_preview_shows_the_letter_filled_in_and_saves_nothing(client, action):
    response = client.post("/act/write-to-norway/", {**letter_form(action), "preview": "1", "send": ""})

    assert response.status_code == 200
    assert "Dear Espen Barth Eide," in response.text, "the greeting, filled in"
    assert "Yours sincerely,\nAna Writer\nBergen" in response.text, "the signature"
    assert Letter.objects.count() == 0


def test_consent_to_action_alerts_is_recorded_with_the_text_shown(client, action):
    client.post("/act/write-to-norway/", letter_form(action, action_alerts="on"))

    record = ConsentRecord.objects.get()
    assert record.kind == "action_alerts" and record.granted
    assert record.source == "letters:write"


def test_a_referral_link_credits_the_organisation_and_it_sees_what_it_brought(client, action, org_editor):
    organisation = org_editor.edited_organisations.get()
    client.get(f"/act/write-to-norway/?ref={organisation.slug}")
    client.post("/act/write-to-norway/", letter_form(action))

    assert Letter.objects.get().referred_by == organisation
    client.force_login(org_editor)
    page = client.get(f"/act/brought/{organisation.slug}/")
    assert page.status_code == 200
    assert "Write to Norway" in page.text


def test_another_organisations_editor_cannot_see_what_an_organisation_brought(client, org_editor):
    other = OrganisationFactory(slug="other-org")
    client.force_login(org_editor)
    assert client.get(f"/act/brought/{other.slug}/").status_code == 403


@pytest.fixture
def org_editor(db):
    from coalition.accounts.tests.factories import UserFactory

    organisation = OrganisationFactory(slug="alpha-aid", name="Alpha Aid")
    user = UserFactory(email="edna@alpha.example.org")
    organisation.editors.add(user)
    return user


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("too_long", "the limit is"),
        ("no_consent", "Please agree that the letter is sent in your name."),
        ("bad_email", "Enter a valid email address."),
        # A name or town on two lines once passed: the letter was "confirmed", then failed in the worker for hours.
        ("name_on_two_lines", "Write this on one line, without line breaks."),
        ("town_on_two_lines", "Write this on one line, without line breaks."),
        ("nul_in_the_letter", "This holds a NUL character, which cannot be stored."),
        ("very_long_name", "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, action, settings, case, expected):
    settings.LETTERS_MAX_BODY_CHARS = 400
    data = {
        "too_long": letter_form(action, body="word " * 200),
        "no_consent": {k: v for k, v in letter_form(action).items() if k != "agree"},
        "bad_email": letter_form(action, email="not-an-address"),
        "name_on_two_lines": letter_form(action, name="Ana Writer\r\nBcc: everyone@example.org"),
        "town_on_two_lines": letter_form(action, town="Bergen\nNorway"),
        "nul_in_the_letter": letter_form(action, body="Dear minister,\x00 please join."),
        "very_long_name": letter_form(action, name="A" * 201),
    }[case]

    response = client.post("/act/write-to-norway/", data)

    assert response.status_code == 400
    assert expected in response.text
    assert Letter.objects.count() == 0 and Supporter.objects.count() == 0 and Email.objects.count() == 0


def test_an_official_with_no_email_is_named_and_the_postal_option_suggested(client, norway):
    nobody = official(state=norway, name="No Address", email="")
    ActionFactory(slug="noemail", targets=[nobody])

    response = client.post("/act/noemail/", letter_form_for("noemail"))

    assert response.status_code == 400
    assert "No e-mail address is on record for" in response.text
    assert Letter.objects.count() == 0

    by_post = client.post("/act/noemail/", letter_form_for("noemail", delivery="post"))
    assert by_post.status_code == 302


def test_an_action_past_its_end_date_takes_no_letters(client, minister):
    ended = ActionFactory(slug="ended", targets=[minister], ends_on=date(2024, 6, 1))

    page = client.get("/act/ended/")
    assert "This action ended on" in page.text
    response = client.post("/act/ended/", letter_form(ended))

    assert response.status_code == 400
    assert "This action ended on" in response.text
    assert Letter.objects.count() == 0


def test_a_bot_filling_the_honeypot_sees_the_thanks_page_and_nothing_is_stored(client, action):
    response = client.post("/act/write-to-norway/", letter_form(action, fax_number="+1 555 0100"))

    assert response.status_code == 302
    assert Letter.objects.count() == 0 and Supporter.objects.count() == 0


def test_submissions_are_limited_per_email_address(client, action, settings):
    settings.LETTERS_SUBMIT_RATE_PER_EMAIL = "2/h"
    for _ in range(2):
        assert client.post("/act/write-to-norway/", letter_form(action)).status_code == 302

    response = client.post("/act/write-to-norway/", letter_form(action))

    assert response.status_code == 429
    assert "Too many letters" in response.text
    assert Letter.objects.count() == 2


def test_submissions_are_limited_per_ip_address(client, action, settings):
    settings.LETTERS_SUBMIT_RATE_PER_IP = "2/h"
    for n in range(2):
        client.post("/act/write-to-norway/", letter_form(action, email=f"w{n}@example.org"))

    response = client.post("/act/write-to-norway/", letter_form(action, email="w9@example.org"))

    assert response.status_code == 429
    assert Letter.objects.count() == 2


def test_a_supporter_confirmed_within_30_days_skips_the_confirmation_step(client, action, run_tasks):
    SupporterFactory(email="ana@example.org", confirmed_at=timezone.now() - timedelta(days=29))

    response = client.post("/act/write-to-norway/", letter_form(action))

    assert response["Location"] == "/act/write-to-norway/thanks/?sent=1"
    assert Letter.objects.get().status == Letter.Status.CONFIRMED
    assert Message.objects.get().status == Message.Status.PENDING
    run_tasks()
    assert Message.objects.get().status == Message.Status.SENT
    assert Email.objects.get(to="ana@example.org").subject.startswith("Your letter is on its way")


def test_a_supporter_confirmed_long_ago_confirms_again(client, action):
    SupporterFactory(email="ana@example.org", confirmed_at=timezone.now() - timedelta(days=45))

    client.post("/act/write-to-norway/", letter_form(action))

    assert Letter.objects.get().status == Letter.Status.UNCONFIRMED


def test_a_letter_posted_without_choosing_a_state_says_why_and_saves_nothing(client, norway):
    from coalition.letters.models import Action, Role

    official(state=norway)
    own = ActionFactory(slug="own", target=Action.Target.OWN_STATE, target_role=Role.FOREIGN_MINISTER)

    response = client.post("/act/own/", letter_form(own))

    assert response.status_code == 400
    assert "There is no official to write to for this choice." in response.text
    assert Letter.objects.count() == 0


def test_a_lease_shorter_than_the_smtp_timeout_is_reported_at_startup(settings):
    from coalition.letters.checks import check_letters_settings

    settings.EMAIL_TIMEOUT, settings.LETTERS_SEND_LEASE_SECONDS = 30, 20
    assert [problem.id for problem in check_letters_settings(None)] == ["letters.W001"]
