"""The values hostile input is drawn from, and the kinds of field that say which of them must be refused."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import global_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_countries import countries
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("HOSTILE_INPUT_EXAMPLES", "12"))
INTEGER_MAX = 2_147_483_647
COUNTRIES = [code for code, _name in countries]
LANGUAGES = [code for code, _name in global_settings.LANGUAGES]

# --- values -------------------------------------------------------------------------------------------------

SNIPPETS = [
    "\r\n",
    "\n",
    "\r",
    "\x00",
    "\t",
    "\x0b",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "'; DROP TABLE events_event; --",
    "{{ supporter_name }}",
    "{% debug %}",
    "%(name)s %s %n",
    "../../etc/passwd",
    "Bcc: victim@example.org",
    "𒀱ﷺ",
]
LONG_LENGTHS = [201, 301, 4_001, 20_001, 1_000_000]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=20),
    st.tuples(st.text(max_size=12), st.sampled_from(SNIPPETS), st.text(max_size=12)).map("".join),
    st.sampled_from(LONG_LENGTHS).map(lambda n: "ā" * n),
)
wrong_types = st.one_of(
    st.lists(st.text(max_size=10), min_size=2, max_size=3),  # the field sent several times
    st.builds(lambda: SimpleUploadedFile("value.txt", b"a file where text was expected")),
)
# What a client might send to the API as JSON: any nesting of any values.
json_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
uploads = st.sampled_from(
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a PNG signature and nothing after it
        ("report.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.txt", b"just text"),
        ("a\r\nb.pdf", b"%PDF-1.4\n"),
        ("a" * 300 + ".png", b"GIF89a"),
        ("empty.csv", b""),
        ("rows.csv", b"name,country\n=cmd|' /C calc'!A0,NO\n\x00,\xff\xfe\n"),
    ]
).map(lambda item: SimpleUploadedFile(item[0], item[1]))


def last_value(value: Any) -> Any:
    """What a form reads from a field sent several times: the last value."""
    return value[-1] if isinstance(value, list) and value else value


def has_nul(value: Any) -> bool:
    return any("\x00" in item for item in (value if isinstance(value, list) else [value]) if isinstance(item, str))


def _controls(text: str, *, allowed: str = "") -> bool:
    return any((unicodedata.category(c) == "Cc" or c in "\u2028\u2029") and c not in allowed for c in text)


@dataclass(frozen=True)
class Kind:
    """What a field takes: the values to try, and which of them the form must refuse."""

    values: st.SearchStrategy[Any]
    must_refuse: Callable[[Any], bool] = lambda value: False
    # False for a file field: the form reads the uploaded file, never text sent under its name.
    reads_text: bool = True
    # True for check boxes: the form reads every value sent under the name, not only the last.
    several: bool = False


def line(max_length: int) -> Kind:
    """One line of text (a name, a title, a subject): line breaks and control characters are refused."""

    def refused(value: Any) -> bool:
        text = last_value(value)
        return isinstance(text, str) and (_controls(text.strip()) or len(text.strip()) > max_length)

    return Kind(hostile_text, refused)


def text(max_length: int) -> Kind:
    """Several lines: line breaks and tabs are fine, other control characters and NUL are not."""

    def refused(value: Any) -> bool:
        text = last_value(value)
        return isinstance(text, str) and (_controls(text.strip(), allowed="\t\r\n") or len(text.strip()) > max_length)

    return Kind(hostile_text, refused)


def number(minimum: int = -INTEGER_MAX, maximum: int = INTEGER_MAX) -> Kind:
    values = st.one_of(
        st.integers().map(str),
        st.integers(min_value=minimum - 2, max_value=min(maximum, 10**6) + 2).map(str),
        st.sampled_from(
            ["1e23", "1" + "0" * 23, "-1", "NaN", "inf", "-inf", "1e400", "0x10", "١٢", "²", "1_000", " 7 ", "3.5"]
        ),
        st.just("9" * 5000),
        st.floats().map(str),
        hostile_text,
    )

    def refused(value: Any) -> bool:
        try:
            amount = Decimal(str(last_value(value)).strip())
        except (InvalidOperation, ValueError):
            return False
        return amount.is_finite() and not minimum <= amount <= maximum

    return Kind(values, refused)


def choice(options: Iterable[str]) -> Kind:
    """One of fixed options; anything else is refused."""
    options = [str(option) for option in options]

    def refused(value: Any) -> bool:
        chosen = last_value(value)
        return isinstance(chosen, str) and chosen != "" and chosen not in options

    return Kind(st.one_of(st.sampled_from(options), hostile_text), refused)


def several(options: Iterable[str]) -> Kind:
    """Any number of fixed options (check boxes)."""
    options = [str(option) for option in options]
    return Kind(
        st.lists(st.one_of(st.sampled_from(options), hostile_text), max_size=4),
        lambda value: isinstance(value, list) and any(item not in options for item in value if item != ""),
        several=True,
    )


def ref(*valid: Any) -> Kind:
    """The id (or code) of a row; what does not name one is refused by the form or answered 404."""
    return Kind(
        st.one_of(
            st.sampled_from([str(v) for v in valid] or ["1"]),
            st.sampled_from(["0", "-1", "99999999999999999999999", "1.5", "²", "١", "LAO\x00", " 1", "abc"]),
            hostile_text,
        )
    )


def date_kind() -> Kind:
    return Kind(
        st.one_of(
            st.dates().map(str),
            st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
            st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "1-1", "99999-01-01", "today"]),
            hostile_text,
        )
    )


def email() -> Kind:
    def refused(value: Any) -> bool:
        text = last_value(value)
        return isinstance(text, str) and (_controls(text.strip()) or len(text.strip()) > 320)

    return Kind(
        st.one_of(
            st.emails().map(str),
            st.sampled_from(["ana@example.org\r\nBcc: victim@example.org", "a@b", "@", "ana@exam ple.org"]),
            hostile_text,
        ),
        refused,
    )


def url() -> Kind:
    def refused(value: Any) -> bool:
        text = last_value(value)
        return isinstance(text, str) and _controls(text.strip())

    return Kind(
        st.one_of(
            st.sampled_from(
                [
                    "https://example.org",
                    "javascript:alert(1)",
                    "http://localhost:8000/admin/",
                    "//evil.example",
                    "https://exa mple.org",
                    "http://[::1",
                    "https://" + "a" * 5000 + ".example",
                ]
            ),
            hostile_text,
        ),
        refused,
    )


def boolean() -> Kind:
    """A check box: whatever is sent under its name only ticks it."""
    return Kind(st.one_of(st.sampled_from(["on", "", "true", "false", "0", "off"]), hostile_text), reads_text=False)


def upload() -> Kind:
    return Kind(st.one_of(uploads, hostile_text), reads_text=False)


def token() -> Kind:
    """A part of the URL standing for a secret link: anything but a link we sent is answered 400 or 404."""
    return Kind(st.one_of(hostile_text, st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_", max_size=80)))


def clearance(maximum: int) -> Kind:
    """`year: m²` pairs; an area beyond the ceiling (the issue's 10^23) is refused."""
    pair = st.tuples(st.integers(1930, 2100), st.integers(-10, 10**30)).map(lambda p: f"{p[0]}: {p[1]}")
    values = st.one_of(st.lists(pair, min_size=1, max_size=4).map(", ".join), hostile_text)

    def refused(value: Any) -> bool:
        pairs = str(last_value(value)).split(",")
        try:
            return any(int(part.split(":")[1]) > maximum for part in pairs)
        except (IndexError, ValueError):
            return False

    return Kind(values, refused)
