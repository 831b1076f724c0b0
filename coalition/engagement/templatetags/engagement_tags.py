from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from coalition.lib.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """A meeting's outcome as sanitised HTML (coalition/lib/markdown.py: nh3)."""
    return render_markdown(text)
