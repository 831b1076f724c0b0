"""Template helpers of the events pages and e-mails: times in the event's own zone, Markdown."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format, time_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coalition.events.models import Event, EventVersion
from coalition.lib.markdown import render_markdown

register = template.Library()


@register.simple_tag
def event_when(event: Event) -> str:
    """'3 December 2026, 6 p.m.–8 p.m. CET' in the visitor's language, at the event's local time."""
    start, end = event.starts_local, event.ends_local
    zone = start.tzname() or event.timezone
    if start.date() == end.date():
        return (
            f"{date_format(start, 'DATE_FORMAT')}, {time_format(start, 'TIME_FORMAT')}–"
            f"{time_format(end, 'TIME_FORMAT')} {zone}"
        )
    return (
        f"{date_format(start, 'DATE_FORMAT')}, {time_format(start, 'TIME_FORMAT')} – "
        f"{date_format(end, 'DATE_FORMAT')}, {time_format(end, 'TIME_FORMAT')} {end.tzname() or zone}"
    )


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text or "")


@register.filter
def local_time(event: Event) -> str:
    """The start time at the event's place (the `time` filter would convert it to the server's zone)."""
    return time_format(event.starts_local, "TIME_FORMAT")


@register.filter
def in_visitor_language(event: Event) -> EventVersion:
    """The event's title and description in the visitor's language, else the original: as its page shows them."""
    return event.version(get_language())
