from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coalition.lib.markdown import render_markdown
from coalition.lib.versions import LanguageVersion
from coalition.site.pages import path_in_visitor_language

register = template.Library()


@register.filter
def page_markdown(text: str) -> SafeString:
    """A campaign page's body as sanitised HTML, with the pictures the site serves (coalition/lib/markdown.py);
    its links to the site's pages lead to their version in the visitor's language."""
    return render_markdown(text, pictures=True, site_links=path_in_visitor_language)


@register.filter
def file_kind(content_type: str) -> str:
    """What a download is, in a word people know: "PDF", "PNG"."""
    return (content_type or "").rsplit("/", 1)[-1].upper()


@register.filter
def in_visitor_language(content: Any) -> LanguageVersion:
    """An action's words in the visitor's language, else the original (anything with `version(language)`)."""
    return content.version(get_language())
