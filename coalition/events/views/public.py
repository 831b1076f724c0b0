"""Public pages of the events app: the list, calendar, feed and event page, replies and their links, photos.

Organisers' pages are in `organisers.py`, staff's review in `staff.py`; who may see what is in `events/access.py`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from coalition.core.audit import acting_user
from coalition.events import access, forms, ical, selectors, services
from coalition.events.models import RSVP, Event
from coalition.events.photos import PHOTO_CONTENT_TYPES
from coalition.lib import maps
from coalition.lib.downloads import set_attachment
from coalition.lib.forms import fields_of
from coalition.lib.page_cache import public_page
from coalition.lib.public_forms import PostLimit, screen_post
from coalition.lib.ratelimit import client_ip, is_limited
from coalition.lib.refusals import show_refusal
from coalition.members import selectors as members_selectors

PAGE_SIZE = 20
# How often one address may ask for the links to its replies (`coalition.lib.public_forms`).
LINKS_LIMIT = PostLimit("events-links", "EVENTS_LINKS_RATE_PER_EMAIL", "EVENTS_RSVP_RATE_PER_IP")


def _query_string(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for name in ("page", *drop):
        params.pop(name, None)
    return params.urlencode()


def _filter_form(request: HttpRequest) -> forms.ListFilterForm:
    return forms.ListFilterForm(
        request.GET or None,
        country_codes=[code for code, _n in selectors.event_countries(selectors.events_listed())],
        organisations=selectors.organisations_with_events(),
    )


def _filters(form: forms.ListFilterForm) -> dict[str, Any]:
    if not form.is_bound or not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value}


@public_page
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = _filters(form)
    events = selectors.events_search(**filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    places = selectors.event_places(selectors.events_search(**filters))
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "page": page,
            "past": filters.get("when") == "past",
            "filtered": bool(filters),
            "query_string": _query_string(request),
            "events_map": _events_map(places),
            "feed_query": _feed_query(filters),
        },
    )


def _events_map(places: list[dict[str, Any]]) -> maps.WorldMap:
    """Each event at its venue; at its country's centre (a hollow circle) when it has no coordinates or its
    address is not public, so a private address is never given away by the map."""
    markers = []
    for row in places:
        where = maps.place(
            lat=row["latitude"],
            lon=row["longitude"],
            country=row["country"],
            exact=row["address_visibility"] == Event.AddressVisibility.PUBLIC,
        )
        if where is None:
            continue
        town = row["city"] or (str(countries.name(row["country"])) if row["country"] else "")
        label = f"{row['title']} ({town})" if town else row["title"]
        markers.append(maps.place_marker(where, label=label, href=reverse("events:detail", args=[row["pk"]])))
    return maps.WorldMap(
        key="events",
        title=_("Map of the events in the list: each circle is an event at its venue."),
        markers=markers,
        list_label=_("Events on the map"),
    )


def _feed_query(filters: dict[str, Any]) -> str:
    params: dict[str, str] = {key: str(filters[key]) for key in ("country", "organisation") if key in filters}
    return urlencode(params)


@require_GET
def event_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month_form = forms.CalendarMonthForm(request.GET)
    first = month_form.month_or(today.replace(day=1))
    form = _filter_form(request)
    filters = _filters(form)
    filters.pop("when", None)
    filters.pop("date_from", None)
    filters.pop("date_to", None)
    weeks = selectors.month_grid(
        year=first.year, month=first.month, queryset=selectors.events_search(when="all", **filters)
    )
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "month_errors": month_form.errors.get("month"),
            "weeks": weeks,
            "month": first,
            "previous": previous if month_form.shown(previous) else None,
            "following": following if month_form.shown(following) else None,
            "today": today,
            "query_string": _query_string(request, "month"),
            "weekdays": _weekday_names(),
        },
        # A month that cannot be shown is a bad request, answered with the current month and why.
        status=400 if month_form.errors else 200,
    )


def _weekday_names() -> list[str]:
    from django.utils.dates import WEEKDAYS

    return [str(WEEKDAYS[n]) for n in range(7)]


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk)
    if event is None:
        raise Http404
    listed = event.status in {Event.Status.PUBLISHED, Event.Status.CANCELLED}
    organiser = access.may_organise(request.user, event)
    if not listed and not organiser:
        raise Http404
    return _render_detail(request, event, organiser=organiser, form=None)


def _render_detail(
    request: HttpRequest, event: Event, *, organiser: bool, form: forms.RSVPForm | None, status: int = 200
) -> HttpResponse:
    url = request.build_absolute_uri(event.get_absolute_url())
    referral_links = []
    if request.user.is_authenticated:
        referral_links = [
            (organisation.name, f"{url}?ref={organisation.slug}")
            for organisation in selectors.organisations_edited_by(request.user)
        ]
    report = getattr(event, "report", None)  # the reverse one-to-one raises AttributeError when missing
    # Co-hosts' editors are no organisers (they do not edit the event) but see who comes.
    co_host = (
        not organiser
        and event.status == Event.Status.PUBLISHED
        and request.user.is_authenticated
        and selectors.event_hosted_by_editor(event, acting_user(request))
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "version": event.version(get_language()),
            "organiser": organiser,
            "co_host": co_host,
            "show_address": event.address_is_public or organiser,
            "form": form or forms.RSVPForm(max_guests=settings.EVENTS_MAX_GUESTS),
            "share_url": url,
            "referral_links": referral_links,
            "report": report,
            "photos": list(report.photos.all()) if report else [],
            "event_map": _event_map(event, exact=event.address_is_public or organiser),
        },
        status=status,
    )


def _event_map(event: Event, *, exact: bool) -> maps.WorldMap | None:
    """The venue on a small world map when the address may be shown, else the country's centre."""
    where = maps.place(lat=event.latitude, lon=event.longitude, country=str(event.country or ""), exact=exact)
    if where is None:
        return None
    return maps.WorldMap(
        key="event",
        title=_("Where the event takes place on a world map"),
        markers=[maps.place_marker(where, label=event.city or event.country_name or event.title, r=3)],
    )


@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_public_get(pk)
    if event is None:
        raise Http404
    form = forms.RSVPForm(request.POST, max_guests=settings.EVENTS_MAX_GUESTS)
    screened = screen_post(
        form,
        limited=lambda: is_limited("events-rsvp:ip", client_ip(request), settings.EVENTS_RSVP_RATE_PER_IP),
        limited_message=_("Too many replies from this address. Please try again in an hour."),
    )
    if screened == "bot":
        messages.success(request, _("Thank you: check your e-mail."))
        return redirect(event)
    if screened == "limited":
        return _render_detail(request, event, organiser=False, form=form, status=429)
    if screened == "valid":
        data = form.cleaned_data
        try:
            reply = services.rsvp_create(
                event=event,
                **fields_of(data, "name", "email", "guests"),
                language=get_language() or "",
                referred_by=members_selectors.referral_organisation(request),
            )
        except services.EventError as refusal:
            show_refusal(request, refusal, form=form)
        else:
            if reply.status == RSVP.Status.CONFIRMED:
                messages.success(
                    request,
                    _("Your place is confirmed. We sent the details to %(email)s, with a link to cancel.")
                    % {"email": reply.email},
                )
            else:
                messages.success(
                    request,
                    _(
                        "The event is full: you are on the waiting list. If a place frees up, it is yours "
                        "and we tell you by e-mail at %(email)s."
                    )
                    % {"email": reply.email},
                )
            return redirect(event)
    return _render_detail(request, event, organiser=False, form=form, status=400)


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_public_get(pk)
    if event is None:
        raise Http404
    return _ics_response(ical.calendar_for([event], name=event.title), f"event-{event.pk}.ics")


def _ics_response(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        set_attachment(response, filename)
    return response


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "").strip().upper()[:2]
    organisation = request.GET.get("organisation", "").strip()[:80]
    events = selectors.feed_events(country=country, organisation=organisation)
    name = _("Events — %(coalition)s") % {"coalition": settings.COALITION_NAME}
    response = _ics_response(ical.calendar_for(events.iterator(chunk_size=2000), name=name), "", attachment=False)
    # Calendar clients poll: a few minutes of caching in between costs nothing.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_http_methods(["GET", "POST"])
def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in every reply's e-mails: its status, the full address, and a cancel button.

    GET only shows; the POST cancels, so a mail scanner that opens the link cancels nothing.
    """
    reply = services.rsvp_from_token(token)
    if reply is None:
        # A mistyped link, one from before links became random, or one of a person who erased their data.
        response = render(request, "events/rsvp_invalid.html", {"form": forms.RSVPLinksForm()}, status=404)
        response["Cache-Control"] = "no-store"
        return response
    error = ""
    if request.method == "POST":
        try:
            reply = services.rsvp_cancel(rsvp=reply)
        except services.EventError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your reply is cancelled. Thank you for telling us."))
            return redirect("events:rsvp-manage", token=token)
    event = reply.event
    response = render(
        request,
        "events/rsvp_manage.html",
        {
            "rsvp": reply,
            "event": event,
            "token": token,
            "error": error,
            "show_address": reply.status == RSVP.Status.CONFIRMED or event.address_is_public,
            "waiting_position": selectors.rsvp_waiting_position(reply),
        },
        status=400 if error else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def rsvp_links(request: HttpRequest) -> HttpResponse:
    """Ask for the links to one's replies again, by e-mail to the address that replied.

    The answer is the same whether the address replied, did not, is over its limit, or is a bot's: the page
    tells nobody who comes to which event.
    """
    form = forms.RSVPLinksForm(request.POST or None)
    if request.method == "POST":
        if form.caught_bot():
            return render(request, "events/rsvp_links_sent.html")
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not LINKS_LIMIT.reached(request, email):
                services.rsvp_send_links(email=email, language=get_language() or "")
            return render(request, "events/rsvp_links_sent.html")
    return render(request, "events/rsvp_links.html", {"form": form}, status=400 if form.is_bound else 200)


@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    item = selectors.report_photo_public(pk, photo_pk)
    if item is None:
        raise Http404
    # The stored name ends as the content is (photos.py); anything else is never served.
    content_type = PHOTO_CONTENT_TYPES.get(PurePath(item.image.name or "").suffix.lower())
    if content_type is None:
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    # Never sniffed as anything but a picture, and opened on its own it can run nothing.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
