"""The starter campaign pages (starter_pages.py): created once, on a site with no page, never overwritten."""

from __future__ import annotations

from collections.abc import Callable

from coalition.site.models import Page, PageTranslation
from coalition.site.pages import menu_forget
from coalition.site.starter_pages import STARTER_PAGES


def load(*, log: Callable[[str], None]) -> str:
    if Page.objects.exists():
        return "campaign pages already written; left as they are"
    for slug, (order, versions) in STARTER_PAGES.items():
        page = Page.objects.create(slug=slug, original_language="en", published=True, in_menu=True, menu_order=order)
        PageTranslation.objects.bulk_create(
            PageTranslation(page=page, language=language, title=title, summary=summary, body=body)
            for language, (title, summary, body) in versions.items()
        )
    menu_forget()
    log(
        f"created {len(STARTER_PAGES)} starter campaign pages in {len(next(iter(STARTER_PAGES.values()))[1])} languages"
    )
    return f"{len(STARTER_PAGES)} starter pages created"
