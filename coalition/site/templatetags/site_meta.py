"""The page's addresses in every language and its sharing metadata (Open Graph, Twitter cards, hreflang)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Open Graph names a locale with its territory; the campaign's languages have no territory of their own.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES", "ar": "ar_AR"}
SITE_DESCRIPTION = _(
    "A world free of cluster munitions: where every state stands on the treaty, letters to write, events and research."
)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    path: str
    url: str
    current: bool
    og_locale: str


def language_links(request: Any) -> list[LanguageLink]:
    """This page in each language (`translate_url` keeps the query); the same address where it has no prefix."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    full_path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(full_path, code)
        links.append(
            LanguageLink(
                code=code,
                name=translation.get_language_info(code)["name_local"],
                path=path,
                url=settings.SITE_URL + path,
                current=code == current,
                og_locale=OG_LOCALES.get(code, code),
            )
        )
    return links


def _block_text(context: template.Context, name: str) -> str:
    """The text a page gave one of its blocks (its title, its description), rendered again for the metadata."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    if block is None:
        return ""
    return " ".join(strip_tags(block.render(context)).split())


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    links = language_links(context.get("request"))
    return {"languages": links, "translated": len({link.path for link in links}) > 1, "request": context.get("request")}


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def head_meta(context: template.Context) -> dict[str, Any]:
    """Canonical address, hreflang alternates, Open Graph and Twitter card tags.

    A page sets them with blocks its layout does not show: `title` (shown), `description` and `share_image` (an
    image's address; the campaign's card otherwise)."""
    request = context.get("request")
    coalition_name = str(context.get("coalition_name", ""))
    links = language_links(request)
    current = next((link for link in links if link.current), links[0])
    # Pages without a prefix (the outbox, the API's docs) have one address in every language: no alternates.
    translated = len({link.path for link in links}) > 1
    image = _block_text(context, "share_image") or reverse("share-campaign")
    if image.startswith("/"):
        image = settings.SITE_URL + image
    canonical = settings.SITE_URL + (request.path if request is not None else "/")
    return {
        "title": _block_text(context, "title") or coalition_name,
        "description": _block_text(context, "description") or SITE_DESCRIPTION,
        "site_name": coalition_name,
        "canonical": canonical,
        "image": image,
        "current": current,
        "alternates": links if translated else [],
        "x_default": next(link.url for link in links if link.code == settings.LANGUAGE_CODE),
    }
