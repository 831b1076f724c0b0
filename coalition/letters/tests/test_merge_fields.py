"""Merge fields: filled per official and per supporter; an unknown one is refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coalition.letters import merge
from coalition.letters.models import Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def test_each_official_gets_the_letter_filled_in_with_their_name_and_title(norway):
    eide = official(state=norway, name="Espen Barth Eide", title="Minister of Foreign Affairs")
    sandvik = official(state=norway, name="Tore O. Sandvik", title="Minister of Defence")
    action = ActionFactory(targets=[eide, sandvik])

    write(action, name="Ana Writer", town="Bergen", state=norway)

    texts = {m.recipient_name: m.body for m in Message.objects.all()}
    assert texts["Espen Barth Eide"].startswith("Dear Minister of Foreign Affairs Espen Barth Eide,")
    assert texts["Tore O. Sandvik"].startswith("Dear Minister of Defence Tore O. Sandvik,")
    assert "from Bergen in Norway" in texts["Tore O. Sandvik"]
    assert texts["Tore O. Sandvik"].endswith("Ana Writer")


def test_the_subject_takes_merge_fields_too(minister):
    action = ActionFactory(targets=[minister], letter_subject="A letter from {{ supporter_town }}")
    write(action, town="Tromsø")
    assert Message.objects.get().subject == "A letter from Tromsø"


def test_the_subject_stays_on_one_line_whatever_an_imported_official_name_holds(norway):
    # Officials come from CSV and Popolo files: a name on two lines must not break the Subject header.
    imported = official(state=norway, name="Espen\r\nBarth Eide")
    action = ActionFactory(targets=[imported], letter_subject="For {{ official_name }}")
    write(action)
    assert Message.objects.get().subject == "For Espen Barth Eide"


def test_an_action_with_an_unknown_merge_field_does_not_validate():
    action = ActionFactory.build(letter_template="Dear {{ official_nmae }},")
    with pytest.raises(ValidationError) as caught:
        action.clean()
    assert "official_nmae" in str(caught.value)


def test_a_supporters_text_cannot_run_template_code():
    assert merge.render("{% load x %}{{ settings.SECRET_KEY }}", {"official_name": "A"}) == (
        "{% load x %}{{ settings.SECRET_KEY }}"
    )
    assert merge.unknown_fields("{{ settings.SECRET_KEY }}") == {"settings.SECRET_KEY"}
