"""Markdown written by people (event descriptions, reports, mailings) turned into safe HTML.

The Markdown is rendered with raw HTML switched off, then sanitised with nh3 (the Ammonia
sanitiser) to a small allow-list, so neither a typed `<script>` nor a `javascript:` link survives.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"}), "th": frozenset({"align"}), "td": frozenset({"align"})}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _parser() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML, plus tables and strikethrough; links are also
    # checked by markdown-it's own validator before nh3 sees them.
    return MarkdownIt("js-default", {"linkify": False, "typographer": False})


# Pictures in campaign pages (coalition/site): only files the site itself serves under this path.
PICTURE_PATH_PREFIX = "/pages/"


def _same_site_pictures(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if value.startswith(PICTURE_PATH_PREFIX) and "//" not in value and "\\" not in value else None
    return value


def _attribute_filter(
    *, pictures: bool, site_links: Callable[[str], str] | None
) -> Callable[[str, str, str], str | None] | None:
    if site_links is None:
        return _same_site_pictures if pictures else None

    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if element == "a" and attribute == "href" and value.startswith("/") and not value.startswith("//"):
            return site_links(value)
        return _same_site_pictures(element, attribute, value) if pictures else value

    return attribute_filter


def render_markdown(text: str, *, pictures: bool = False, site_links: Callable[[str], str] | None = None) -> SafeString:
    """Markdown → sanitised HTML, safe to put in a page or an HTML e-mail as it is.

    With `pictures`, `![what it shows](/pages/…)` becomes an image, but only of a file the site serves under
    /pages/: an image from elsewhere would be refused by the Content-Security-Policy and would tell a third party
    who reads the page. `site_links` rewrites each link to a path of the site (`/states/`), to the reader's
    language for example.
    """
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308  empty string
    html = _parser().render(text)
    tags, attributes = set(ALLOWED_TAGS), {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    if pictures:
        tags.add("img")
        attributes["img"] = {"src", "alt", "title"}
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_attribute_filter(pictures=pictures, site_links=site_links),
    )
    return mark_safe(cleaned)  # noqa: S308  sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """Plain text of the Markdown (for text e-mails, iCalendar descriptions, meta tags)."""
    return strip_tags(str(render_markdown(text))).strip()
