"""The five campaign pages a new installation starts with, in the four languages of the site.

Campaigners rewrite them in the admin; `reference_data.load` creates them only while the site has no page at all, so
their edits (and a page they deleted) are never overwritten. The text of each page in each language is a Markdown
file (coalition/lib/markdown.py) in `data/starter_pages/<slug>.<language>.md`, after a `title:` and a `summary:` line.
"""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent / "data" / "starter_pages"
# slug → place in the menu
MENU_ORDER = {"the-problem": 10, "the-treaty": 20, "about": 30, "take-part": 40, "resources": 50}
LANGUAGES = ("en", "fr", "es", "ar")


def _read(slug: str, language: str) -> tuple[str, str, str]:
    """(title, summary, body) of one page in one language."""
    text = (PAGES / f"{slug}.{language}.md").read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in head.splitlines())
    return fields["title"], fields["summary"], body.removesuffix("\n")


# slug → (place in the menu, {language: (title, summary, body)})
STARTER_PAGES: dict[str, tuple[int, dict[str, tuple[str, str, str]]]] = {
    slug: (order, {language: _read(slug, language) for language in LANGUAGES}) for slug, order in MENU_ORDER.items()
}
