"""Every French, Spanish and Arabic catalogue is complete: no entry untranslated or fuzzy, and each compiles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("fr", "es", "ar")
CATALOGUES = sorted(
    path
    for language in LANGUAGES
    for path in (ROOT / "coalition").glob(f"**/locale/{language}/LC_MESSAGES/django.po")
    if ".venv" not in path.parts
)


def test_every_app_with_translations_has_a_catalogue_per_language():
    apps = {path.parents[3] for path in CATALOGUES}
    assert ROOT / "coalition" in apps, "the project's own catalogue (templates, site, accounts)"
    for app in apps:
        for language in LANGUAGES:
            assert (app / "locale" / language / "LC_MESSAGES" / "django.po").is_file(), f"{app.name}: {language}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_entry_is_untranslated_or_fuzzy(catalogue):
    po = polib.pofile(str(catalogue))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {catalogue.relative_to(ROOT)}"
    assert fuzzy == [], f"fuzzy in {catalogue.relative_to(ROOT)}"
    # A compiled catalogue older than its source would leave the site showing the old (or no) translation.
    compiled = catalogue.with_suffix(".mo")
    assert compiled.is_file(), f"{compiled.relative_to(ROOT)}: run compilemessages"
    assert {entry.msgid for entry in po.translated_entries()} <= {
        entry.msgid for entry in polib.mofile(str(compiled))
    }, f"{compiled.relative_to(ROOT)} is older than its catalogue: run compilemessages"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_catalogue_passes_msgfmt_check(catalogue):
    """Placeholders (`%(counter)s` in every plural form that needs it) and plural forms are right."""
    done = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", "/dev/null", str(catalogue)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
