"""Every catalogue is complete, keeps its placeholders, and its compiled .mo matches the .po."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.rglob("locale/*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_there_are_catalogues_for_french_spanish_and_arabic():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"fr", "es", "ar"} <= languages


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_catalogue_is_translated_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated or fuzzy in {po_path}"
    # Arabic has six plural forms and Spanish three: a missing form shows English for those counts.
    forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata.get("Plural-Forms", "nplurals=2")).group(1))
    short = [e.msgid for e in catalogue if e.msgid_plural and sum(bool(v) for v in e.msgstr_plural.values()) != forms]
    assert short == [], f"{po_path}: plural entries without all {forms} forms"

    for entry in catalogue.translated_entries():
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural)), (
                f"{po_path}: {entry.msgid!r} has a placeholder the English does not"
            )

    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled_strings = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled if not entry.msgid_plural}
    stale = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural and compiled_strings.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert stale == [], f"{po_path.with_suffix('.mo')} is out of date: run compilemessages"
