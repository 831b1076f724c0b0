"""iCalendar (RFC 5545) for events: one event's download and the public feed.

Start and end carry the event's IANA zone (DTSTART;TZID=Europe/Oslo:…) and the calendar carries a
VTIMEZONE for each zone used, so every calendar client shows the time the organisers meant,
daylight-saving changes included. The exact address goes in LOCATION only when it is public.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from coalition.events.models import Event

PRODID = "-//Coalition//Events//EN"


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "coalition"


def vevent(event: Event, *, domain: str, site_url: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@{domain}")
    component.add("dtstamp", event.updated_at)
    component.add("last-modified", event.updated_at)
    zone = event.zone
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    place = event.public_place
    if place:
        component.add("location", place)
    if event.address_is_public and event.latitude is not None and event.longitude is not None:
        component.add("geo", (float(event.latitude), float(event.longitude)))
    component.add("url", f"{site_url}{event.get_absolute_url()}")
    component.add("categories", [event.kind])
    component.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    # A change of time must win over the copy a client already has: the sequence grows with each edit.
    component.add("sequence", int(event.updated_at.timestamp()) - int(event.created_at.timestamp()))
    return component


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    domain, site_url = _uid_domain(), settings.SITE_URL
    for event in events:
        calendar.add_component(vevent(event, domain=domain, site_url=site_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
