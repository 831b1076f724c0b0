"""Printable letters: the writer's PDF for post (one page per official), and staff's PDF of all letters
of an action to one official."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coalition.letters import pdf, services, tokens
from coalition.letters.models import Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", content))


def test_a_postal_letter_gives_one_printable_page_per_official(client, norway):
    eide = official(state=norway, name="Espen Barth Eide")
    sandvik = official(state=norway, name="Tore Sandvik")
    ActionFactory(slug="post", targets=[eide, sandvik])
    from coalition.letters.models import Action

    letter = write(Action.objects.get(slug="post"), delivery="post")
    services.letter_confirm(letter=letter)
    link = tokens.letter_token(letter, salt=tokens.LETTER_LINK_SALT)

    response = client.get(f"/act/letter/{link}/letter.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert pages(response.content) == 2


def test_the_printable_letter_needs_a_valid_link_to_a_confirmed_letter(client, action):
    letter = write(action, delivery="post")
    link = tokens.letter_token(letter, salt=tokens.LETTER_LINK_SALT)
    assert client.get(f"/act/letter/{link}/letter.pdf").status_code == 404, "unconfirmed"
    assert client.get("/act/letter/forged/letter.pdf").status_code == 404


def test_staff_download_every_letter_of_an_action_to_one_official_as_one_pdf(client, carol, action, minister, settings):
    settings.LETTERS_SIMILARITY_PERCENT = 101
    for n in range(3):
        services.letter_confirm(letter=write(action, email=f"w{n}@example.org"))
    write(action, email="unconfirmed@example.org")

    client.force_login(carol)
    response = client.get(f"/act/{action.slug}/staff/officials/{minister.pk}.pdf")

    assert response.status_code == 200
    assert pages(response.content) == 3, "confirmed letters only"


def test_the_pdf_prints_names_in_any_script():
    from coalition.letters.tests.factories import ActionFactory as Factory

    action = Factory()
    position = official(name="محمد العربي")
    action.positions.set([position])
    services.letter_confirm(letter=write(action, name="Zoë Ødegård", delivery="post"))

    content = pdf.letters_pdf(list(Message.objects.all()))

    assert content.startswith(b"%PDF-") and pages(content) == 1


def test_an_arabic_letter_is_printed_joined_and_right_to_left(settings):
    from io import BytesIO

    from pypdf import PdfReader

    assert Path(settings.LETTERS_PDF_FONT).is_file(), "the printable letters need a Unicode font (fonts-dejavu-core)"
    position = official(name="محمد العربي", title="وزير الخارجية")
    action = ActionFactory(targets=[position], letter_subject="الانضمام إلى الاتفاقية", language="ar")
    body = "أكتب إليكم من بيروت."
    services.letter_confirm(letter=write(action, name="Zoë Ødegård", body=body, delivery="post"))

    content = pdf.letters_pdf(list(Message.objects.all()))

    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    # Shaped text reads back in its own order; without shaping, each line comes out reversed.
    assert "حضرة محمد العربي" in text, "the greeting, in Arabic"
    assert "أكتب إليكم من بيروت" in text
    assert "Zoë Ødegård" in text
