"""Reads of the events app, shared by the pages, the feed, the API, the home page and the tasks."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language

from coalition.accounts.models import User
from coalition.events.models import RSVP, Event, EventPartner, EventReport, ReportPhoto
from coalition.members.models import Organisation
from coalition.members.selectors import ReferralRow, referral_rows

# The feed keeps recent past events, so a calendar that synced before an event still shows it after.
FEED_PAST_DAYS = 90


def _with_partners(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("partnerships", queryset=EventPartner.objects.select_related("organisation"))
    )


def events_published() -> QuerySet[Event]:
    return Event.objects.filter(status=Event.Status.PUBLISHED)


def events_listed() -> QuerySet[Event]:
    """What the public sees in lists: published events, and cancelled ones so nobody travels for nothing."""
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])


def events_search(
    *,
    when: str = "upcoming",
    country: str = "",
    kind: str = "",
    organisation: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    every_status: bool = False,
) -> QuerySet[Event]:
    """Public list: upcoming (still running or to come, soonest first) or past (latest first).

    `every_status` adds drafts and events under review, for staff.
    """
    now = timezone.now()
    queryset = Event.objects.all() if every_status else events_listed()
    if when == "past":
        queryset = queryset.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    elif when == "upcoming":
        queryset = queryset.filter(ends_at__gt=now).order_by("starts_at", "id")
    else:
        queryset = queryset.order_by("starts_at", "id")
    if country:
        queryset = queryset.filter(country=country)
    if kind:
        queryset = queryset.filter(kind=kind)
    if organisation:
        queryset = queryset.filter(
            Q(organisation__slug=organisation) | Q(partnerships__organisation__slug=organisation)
        )
        queryset = queryset.distinct()
    if date_from:
        queryset = queryset.filter(starts_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(starts_at__date__lte=date_to)
    return _with_partners(queryset)


def event_countries(queryset: QuerySet[Event]) -> list[tuple[str, int]]:
    """(country code, number of events) for the map and the country filter, most events first."""
    rows = (
        queryset.order_by()
        .exclude(country="")
        .values("country")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "country")
    )
    return [(row["country"], row["n"]) for row in rows]


MAP_LIMIT = 500  # events drawn on the list's map; the list itself pages through all of them


def event_places(queryset: QuerySet[Event], *, limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """Where the matching events take place, for the map (one query): coordinates, country and whether the
    exact address may be shown; soonest first, at most `limit`. The title is the reader's language's version."""
    found: Any = (
        queryset.prefetch_related(None)
        .order_by("starts_at", "pk")
        .values(
            "pk", "title", "language", "translations", "city", "country", "latitude", "longitude", "address_visibility"
        )
        .distinct()[:limit]
    )
    rows: list[dict[str, Any]] = list(found)
    language = get_language()
    for row in rows:
        event = Event(title=row["title"], language=row.pop("language"), translations=row.pop("translations") or {})
        row["title"] = event.version(language).title
    return rows


def organisations_with_events() -> list[tuple[str, str]]:
    """(slug, name) of members that organised a listed event: the organisation filter's choices."""
    return list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER, events__status=Event.Status.PUBLISHED)
        .order_by("name")
        .values_list("slug", "name")
        .distinct()
    )


def event_public_get(pk: int) -> Event | None:
    return _with_partners(events_listed().filter(pk=pk)).select_related("report").first()


def event_get(pk: int) -> Event | None:
    """Any status (organisers' and staff's previews); the caller checks access."""
    return _with_partners(Event.objects.filter(pk=pk)).select_related("report").first()


def upcoming_for_home(limit: int = 3) -> list[Event]:
    return list(
        events_published()
        .filter(ends_at__gt=timezone.now())
        .select_related("organisation")
        .order_by("starts_at")[:limit]
    )


def feed_events(*, country: str = "", organisation: str = "") -> QuerySet[Event]:
    """Published and cancelled events from FEED_PAST_DAYS ago on (cancelled ones tell calendars to drop them)."""
    queryset = events_listed().filter(ends_at__gte=timezone.now() - timedelta(days=FEED_PAST_DAYS))
    if country:
        queryset = queryset.filter(country=country)
    if organisation:
        queryset = queryset.filter(
            Q(organisation__slug=organisation) | Q(partnerships__organisation__slug=organisation)
        ).distinct()
    return queryset.order_by("starts_at", "id")


# --- the month calendar --------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: date | None
    events: list[Event] = field(default_factory=list)
    more: int = 0


# Past this many events in one day, the calendar shows "N more" and links to that day's list.
CALENDAR_DAY_LIMIT = 4


def month_grid(*, year: int, month: int, queryset: QuerySet[Event], first_weekday: int = 0) -> list[list[CalendarDay]]:
    """Weeks of the month (Monday first unless told otherwise), each day with its events in local time.

    One query whatever the number of events; days hold at most CALENDAR_DAY_LIMIT events each.
    """
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    # A day's events are those starting on it in their own time zone: fetch a day either side.
    window = queryset.filter(
        starts_at__gte=datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=UTC),
        starts_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC),
    ).select_related("organisation")
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in window.order_by("starts_at", "id"):
        local_day = event.starts_local.date()
        if start <= local_day < end:
            by_day[local_day].append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(CalendarDay(day=None))
                continue
            events = by_day.get(day, [])
            row.append(
                CalendarDay(day=day, events=events[:CALENDAR_DAY_LIMIT], more=max(0, len(events) - CALENDAR_DAY_LIMIT))
            )
        weeks.append(row)
    return weeks


# --- organisers and staff ----------------------------------------------------------------------


def organisations_edited_by(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(editors=user).order_by("name")


def organisations_for_creator(user: User) -> QuerySet[Organisation]:
    """The members someone may create an event for: any member for staff who may add events, else those they edit."""
    if user.has_perm("events.add_event"):
        return Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("name")
    return organisations_edited_by(user).filter(status=Organisation.Status.MEMBER)


def events_for_editor(user: User) -> QuerySet[Event]:
    """Every event (any status) of the organisations this person edits, newest first."""
    return (
        Event.objects.filter(organisation__editors=user)
        .select_related("organisation")
        .order_by("-starts_at", "-id")
        .distinct()
    )


def event_hosted_by_editor(event: Event, user: User) -> bool:
    """Does this person edit the organisation that organises the event, or one that co-hosts it? One query."""
    return Organisation.objects.filter(
        Q(pk=event.organisation_id)
        | Q(event_partnerships__event=event, event_partnerships__role=EventPartner.Role.CO_HOST),
        editors=user,
    ).exists()


def events_awaiting_review() -> QuerySet[Event]:
    return Event.objects.filter(status=Event.Status.SUBMITTED).select_related("organisation").order_by("updated_at")


def rsvps_for_organisers(event: Event, *, q: str = "") -> QuerySet[RSVP]:
    queryset = event.rsvps.select_related("referred_by")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(email__icontains=q.lower()))
    # Confirmed first, then the waiting list in its order, then cancellations.
    rank = Case(
        When(status=RSVP.Status.CONFIRMED, then=Value(0)),
        When(status=RSVP.Status.WAITING, then=Value(1)),
        default=Value(2),
    )
    return queryset.order_by(rank, "created_at", "id")


def rsvp_of_event(event: Event, pk: int) -> RSVP | None:
    return event.rsvps.filter(pk=pk).first()


def rsvp_waiting_position(reply: RSVP) -> int | None:
    """Where a waiting reply stands in the queue (1: next to get a place); None when it is not waiting."""
    if reply.status != RSVP.Status.WAITING:
        return None
    return (
        RSVP.objects.filter(event_id=reply.event_id, status=RSVP.Status.WAITING, created_at__lte=reply.created_at)
        .exclude(created_at=reply.created_at, pk__gt=reply.pk)
        .count()
    )


def report_photo(report: EventReport, pk: int) -> ReportPhoto | None:
    return report.photos.filter(pk=pk).first()


def report_photo_public(event_pk: int, photo_pk: int) -> ReportPhoto | None:
    """A photo of a published event's report; None for any other."""
    item = ReportPhoto.objects.select_related("report__event").filter(pk=photo_pk, report__event_id=event_pk).first()
    if item is None or item.report.event.status != Event.Status.PUBLISHED:
        return None
    return item


def rsvp_counts(event: Event) -> dict[str, Any]:
    totals = event.rsvps.aggregate(
        confirmed=Count("pk", filter=Q(status=RSVP.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RSVP.Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=RSVP.Status.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return totals


def referred_rsvps(organisation_id: int | None) -> list[ReferralRow]:
    """Replies to events that came through an organisation's `?ref=` link, per event and month (not cancelled)."""
    replies = RSVP.objects.exclude(status=RSVP.Status.CANCELLED)
    return referral_rows(replies, organisation_id, per=("event_id", "event__title"), page="events:detail")


def rsvps_of_address(email: str) -> QuerySet[RSVP]:
    """Every reply from one address with its event, oldest first (a supporter's data export): one query."""
    return RSVP.objects.filter(email=email.strip().lower()).select_related("event").order_by("created_at", "id")
