"""Merge fields of letter subjects: `{{ official_name }}` … filled by plain substitution.

Deliberately not the Django template language: the text comes from staff and supporters, and must never be
able to run template code or read context it was not given. Letter bodies take no merge fields any more: the
greeting and the signature are added for each official (greetings.py), and `body_only` takes them out of
templates written the old way, so no visitor ever sees `{{ … }}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

FIELDS = {
    "supporter_name": _("the supporter's name"),
    "supporter_town": _("the supporter's town"),
    "supporter_state": _("the supporter's state"),
    "official_name": _("the official's name"),
    "official_title": _("the official's title"),
}
_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_GREETING = re.compile(r"^(dear|to|madame|monsieur|estimad[oa]|señor|querid[oa]|حضرة|السيد|معالي|سعادة)\b", re.I)
_SIGN_OFF = re.compile(
    r"^(yours|sincerely|best|kind regards|regards|with best|je vous prie|veuillez|cordialement|atentamente|"
    r"saludos|un saludo|وتفضلوا|مع خالص|مع فائق)",
    re.I,
)
# Words for a field left in the middle of an old template, so its sentence still reads.
_IN_BODY = {
    "supporter_name": "I",
    "supporter_town": "my town",
    "supporter_state": "my country",
    "official_name": "you",
    "official_title": "you",
}


def unknown_fields(text: str) -> set[str]:
    return {name for name in _FIELD.findall(text or "") if name not in FIELDS}


def has_fields(text: str) -> bool:
    return bool(_FIELD.search(text or ""))


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill every known field; an unknown one is left as written (callers validate first)."""
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def body_only(text: str) -> str:
    """A template written the old way, with its greeting and signature lines, as the body alone: the first
    paragraph goes if it is a greeting, the last if it is a sign-off, and any field left becomes plain words."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()) if p.strip()]
    if paragraphs and "\n" not in paragraphs[0] and (_GREETING.match(paragraphs[0]) or has_fields(paragraphs[0])):
        if len(paragraphs[0]) < 200:
            paragraphs = paragraphs[1:]
    if paragraphs and (_SIGN_OFF.match(paragraphs[-1]) or "supporter_name" in paragraphs[-1]):
        if len(paragraphs[-1]) < 300:
            paragraphs = paragraphs[:-1]
    body = "\n\n".join(paragraphs)
    return _FIELD.sub(lambda match: _IN_BODY.get(match.group(1), ""), body)
