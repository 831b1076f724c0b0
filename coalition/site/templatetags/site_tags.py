from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from coalition.lib.markdown import render_markdown

register = template.Library()


@register.filter
def page_markdown(text: str) -> SafeString:
    """A campaign page's body as sanitised HTML, with the pictures the site serves (coalition/lib/markdown.py)."""
    return render_markdown(text, pictures=True)


@register.filter
def file_kind(content_type: str) -> str:
    """What a download is, in a word people know: "PDF", "PNG"."""
    return (content_type or "").rsplit("/", 1)[-1].upper()
