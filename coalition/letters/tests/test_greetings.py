"""The greeting and signature are added for each official in the letter's language; the writer's text is
taken literally; subjects keep their merge fields; templates written the old way lose their greeting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coalition.letters import greetings, merge
from coalition.letters.models import Message, Role
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def test_each_official_is_greeted_by_name_and_the_writer_signs_with_name_and_town(norway):
    eide = official(state=norway, name="Espen Barth Eide", title="Minister of Foreign Affairs")
    sandvik = official(state=norway, name="Tore O. Sandvik", title="Minister of Defence")
    action = ActionFactory(targets=[eide, sandvik])

    write(action, name="Ana Writer", town="Bergen", state=norway, body="Please join the Convention.")

    texts = {m.recipient_name: m.body for m in Message.objects.all()}
    assert texts["Espen Barth Eide"] == (
        "Dear Espen Barth Eide,\n\nPlease join the Convention.\n\nYours sincerely,\nAna Writer\nBergen, Norway"
    )
    assert texts["Tore O. Sandvik"].startswith("Dear Tore O. Sandvik,\n\n")
    assert "Minister of Defence Tore" not in texts["Tore O. Sandvik"]


def test_a_letter_written_in_the_french_version_greets_and_signs_in_french(norway):
    eide = official(state=norway, name="Espen Barth Eide")
    action = ActionFactory(
        targets=[eide],
        translations={
            "fr": {"title": "Écrivez", "ask": "Adhérez", "letter_subject": "Adhérez", "letter_template": "Texte"}
        },
    )

    write(action, state=norway, body="Adhérez à la Convention.", language="fr")

    message = Message.objects.get()
    assert message.body.startswith("Madame la Ministre, Monsieur le Ministre,\n\nAdhérez à la Convention.")
    assert "Je vous prie d'agréer" in message.body
    assert message.body.endswith("Bergen, Norvège")
    assert message.subject == "Adhérez"


@pytest.mark.parametrize(
    ("language", "name", "role", "expected"),
    [
        ("en", "", Role.FOREIGN_MINISTER, "Dear Minister,"),
        ("en", "", Role.AMBASSADOR, "Your Excellency,"),
        ("en", "", Role.OTHER, "Dear Sir or Madam,"),
        ("fr", "Jean Dupont", Role.MEMBER_OF_PARLIAMENT, "Madame la Députée, Monsieur le Député,"),
        ("fr", "Jean Dupont", Role.OTHER, "Madame, Monsieur,"),
        ("es", "Ana Pérez", Role.FOREIGN_MINISTER, "Estimado/a Ana Pérez:"),
        ("es", "", Role.FOREIGN_MINISTER, "Señor/a Ministro/a:"),
        ("ar", "", Role.FOREIGN_MINISTER, "معالي الوزير/ة المحترم/ة،"),
        ("pt", "Ana\nLima", Role.OTHER, "Dear Ana Lima,"),
    ],
)
def test_the_greeting_is_the_neutral_form_of_address_of_the_language(language, name, role, expected):
    assert greetings.greeting(language=language, name=name, role=role) == expected


def test_the_writers_text_is_taken_literally_and_never_run_as_template_code(minister):
    action = ActionFactory(targets=[minister])
    write(action, body="{% load x %}{{ settings.SECRET_KEY }} and {{ official_name }}")
    assert "{% load x %}{{ settings.SECRET_KEY }} and {{ official_name }}" in Message.objects.get().body


def test_the_subject_takes_merge_fields(minister):
    action = ActionFactory(targets=[minister], letter_subject="A letter from {{ supporter_town }}")
    write(action, town="Tromsø")
    assert Message.objects.get().subject == "A letter from Tromsø"


def test_the_subject_stays_on_one_line_whatever_an_imported_official_name_holds(norway):
    # Officials come from CSV and Popolo files: a name on two lines must not break the Subject header.
    imported = official(state=norway, name="Espen\r\nBarth Eide")
    action = ActionFactory(targets=[imported], letter_subject="For {{ official_name }}")
    write(action)
    assert Message.objects.get().subject == "For Espen Barth Eide"


def test_an_action_with_an_unknown_merge_field_in_its_subject_does_not_validate():
    action = ActionFactory.build(letter_subject="For {{ official_nmae }}")
    with pytest.raises(ValidationError) as caught:
        action.clean()
    assert "official_nmae" in str(caught.value)


def test_a_template_with_merge_fields_does_not_validate_in_any_language():
    action = ActionFactory.build(translations={"fr": {"title": "T", "letter_template": "Cher {{ official_name }},"}})
    with pytest.raises(ValidationError) as caught:
        action.clean()
    assert "greeting and the signature are added" in str(caught.value)


def test_a_template_written_the_old_way_keeps_its_body_only():
    old = (
        "Dear {{ official_title }} {{ official_name }},\n\nI write from {{ supporter_town }} to ask that we join."
        "\n\nYours sincerely,\n{{ supporter_name }}, {{ supporter_town }}"
    )
    assert merge.body_only(old) == "I write from my town to ask that we join."
    assert merge.body_only("Please join.\n\nThank you for reading.") == "Please join.\n\nThank you for reading."


def test_an_old_template_left_in_the_database_is_shown_without_template_code(client, minister):
    action = ActionFactory(targets=[minister])
    type(action).objects.filter(pk=action.pk).update(letter_template="Dear {{ official_name }},\n\nPlease join.")
    response = client.get(action.get_absolute_url())
    assert "Please join." in response.text
    assert "{{" not in response.text
