"""The one CSV (and HXL-tagged CSV) writer of the project: streamed line by line, safe to open in a spreadsheet.

Every CSV the project produces goes through `csv_lines` (or its encoded form `csv_chunks`, or the response
`csv_response`), so the rule against CSV injection lives here only (OWASP's "CSV Injection" advice): a text
cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows
it as text instead of running it as a formula. Numbers (int, float, Decimal) are written as numbers, so a
longitude of -12.5 stays -12.5. HXL tags begin with `#`, which is safe, so a tag row passes unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

from coalition.lib.downloads import set_attachment

# The first characters a spreadsheet may read as the start of a formula (or a DDE call).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Written first by `csv_response(..., bom=True)`: spreadsheet programs then read the file as UTF-8.
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """A cell ready for the writer: text neutralised, numbers untouched, None empty, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Line:
    """A file-like target for `csv.writer` that hands back each formatted line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None, bom: bool = False
) -> Iterator[str]:
    """The rows (after an optional header row) as CSV text, one line at a time, each cell through `safe_cell`.

    Pass an HXL tag row as the first of `rows` (or as a second header): tags start with `#` and stay as they are.
    """
    writer = csv.writer(_Line())
    if bom:
        yield BOM
    if header is not None:
        yield writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_chunks(
    rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None, bom: bool = False, encoding: str = "utf-8"
) -> Iterator[bytes]:
    """`csv_lines`, encoded: what a streamed response or a file on disk is written from."""
    for line in csv_lines(rows, header=header, bom=bom):
        yield line.encode(encoding)


def csv_response(
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    header: Sequence[str] | None = None,
    bom: bool = False,
    content_type: str = "text/csv; charset=utf-8",
) -> StreamingHttpResponse:
    """A download streamed row by row (100,000 rows never sit in memory at once), with a safe file name."""
    response = StreamingHttpResponse(csv_chunks(rows, header=header, bom=bom), content_type=content_type)
    set_attachment(response, filename)
    return response
