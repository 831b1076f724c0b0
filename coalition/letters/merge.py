"""Merge fields of letter templates: `{{ supporter_name }}` … filled by plain substitution.

Deliberately not the Django template language: supporters edit the text, and their edits must never
be able to run template code or read context they were not given.
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


def unknown_fields(text: str) -> set[str]:
    return {name for name in _FIELD.findall(text or "") if name not in FIELDS}


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill every known field; an unknown one is left as written (callers validate first)."""
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)
