"""`Content-Disposition` built by Django's `content_disposition_header`: a hostile name cannot add a header or
change the saved extension; and no module of the project writes that header, or a CSV, by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse

from coalition.lib.downloads import attachment_header, safe_filename, set_attachment
from coalition.lib.tests.helpers import saved_name

HOSTILE = 'evil".html;\r\nX: y.pdf'
ARABIC = "تقرير الذخائر العنقودية.pdf"


def test_a_name_with_quotes_and_a_line_break_stays_one_header_and_keeps_its_extension():
    response = set_attachment(HttpResponse(b"%PDF"), HOSTILE)

    assert saved_name(response) == "evil .html; X: y.pdf"
    assert "X" not in response.headers


def test_an_arabic_name_is_sent_encoded_and_read_back_whole():
    header = attachment_header(ARABIC)

    assert header.startswith("attachment; filename*=utf-8''%D8%AA")
    assert saved_name({"Content-Disposition": header}) == ARABIC


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc passwd"),
        ("C:\\Users\\report.pdf", "C: Users report.pdf"),
        ("report\x00.pdf", "report .pdf"),
        ("...", "download"),
        ("", "download"),
    ],
)
def test_path_separators_and_control_characters_do_not_reach_the_saved_name(name, expected):
    assert safe_filename(name) == expected


def test_a_very_long_name_is_shortened_before_its_extension():
    name = safe_filename("a" * 500 + ".pdf")

    assert len(name) == 200 and name.endswith("a.pdf")


def test_an_inline_file_is_marked_inline():
    assert attachment_header("logo.png", as_attachment=False) == 'inline; filename="logo.png"'


ROOT = Path(__file__).resolve().parents[2]
BY_HAND = [
    (re.compile(r"""\[\s*["']Content-Disposition["']\s*\]\s*="""), "set Content-Disposition through lib.downloads"),
    (re.compile(r"csv\.(writer|DictWriter)\("), "write CSV through lib.csv_export"),
]


def test_no_module_writes_a_download_header_or_a_csv_by_hand():
    """So a new export cannot skip the formula rule or the safe file name without this test failing."""
    allowed = {ROOT / "lib" / "downloads.py", ROOT / "lib" / "csv_export.py"}
    offenders = [
        f"{path.relative_to(ROOT.parent)}: {advice}"
        for path in ROOT.rglob("*.py")
        if path not in allowed and "tests" not in path.parts
        for pattern, advice in BY_HAND
        if pattern.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
