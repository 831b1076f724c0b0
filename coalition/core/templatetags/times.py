"""Dates and times as people read them: a moment is shown in the site's zone (`TIME_ZONE`) with the zone's name,
so a campaigner in Beirut reading a page set to Geneva time does not guess (events show their own zone instead:
events_tags)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def zoned(value: datetime | None, format_name: str = "SHORT_DATETIME_FORMAT") -> SafeString | str:
    """`<time datetime="…">30/11/2026 14:05 CET</time>` for an aware datetime; '' for none."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{} {}</time>', local.isoformat(), date_format(local, format_name), local.tzname()
    )


@register.filter
def zoned_date(value: date | None) -> SafeString | str:
    """A deadline that is a calendar day, said with the zone whose day it is: "30 April 2027 (Europe/Zurich)"."""
    if not value:
        return ""
    zone = timezone.get_current_timezone_name()
    return format_html('<time datetime="{}">{} ({})</time>', value.isoformat(), date_format(value, "DATE_FORMAT"), zone)
