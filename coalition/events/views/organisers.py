"""Organisers' pages of the events app: their events, the event form, cancelling, the list at the door, the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.core.audit import acting_user
from coalition.events import access, forms, organising, selectors, services
from coalition.events.models import Event
from coalition.lib.csv_export import csv_response
from coalition.lib.refusals import show_refusal


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.organisations_edited_by(acting_user(request)))
    events = selectors.events_for_editor(acting_user(request))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/mine.html",
        {
            "organisations": organisations,
            "page": page,
            "can_review": request.user.has_perm("events.moderate_event"),
            "can_create": bool(organisations) or request.user.has_perm("events.add_event"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_creator(acting_user(request))
    if not organisations.exists():
        raise PermissionDenied
    form = forms.EventForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():

        def save() -> Event:
            event = organising.event_create(
                organisation=form.organiser_choice(),
                data=form.event_data(),
                by=acting_user(request),
                partners=form.partners(),
            )
            if "submit" in request.POST:
                organising.event_submit(event=event, by=acting_user(request))
            return event

        event = _saved(request, form, save)
        if event is not None:
            if "submit" in request.POST:
                messages.success(request, _("The event is saved and submitted: staff will review it."))
            else:
                messages.success(request, _("The draft is saved. Submit it for review when it is ready."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": None})


def _saved(request: HttpRequest, form: forms.EventForm, save: Callable[[], Event]) -> Event | None:
    """The event `save` wrote; None when the rules refused it or the model found it invalid, said on the form."""
    try:
        return save()
    except services.EventError as refusal:
        show_refusal(request, refusal, form=form)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.event_for(request, pk, access.may_organise)
    if event.status == Event.Status.CANCELLED:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect(event)
    form = forms.EventForm(request.POST or None, instance=event, organisation=event.organisation)
    if request.method == "POST" and form.is_valid():

        def save() -> Event:
            saved = organising.event_update(
                event=event,
                data=form.event_data(),
                by=acting_user(request),
                partners=form.partners(),
            )
            if "submit" in request.POST and saved.status == Event.Status.DRAFT:
                organising.event_submit(event=saved, by=acting_user(request))
            return saved

        saved = _saved(request, form, save)
        if saved is not None:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", pk=saved.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.event_for(request, pk, access.may_organise)
    try:
        organising.event_submit(event=event, by=acting_user(request))
    except services.EventError as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, _("Submitted: staff will review the event and publish it or send it back."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.event_for(request, pk, access.may_organise)
    form = forms.CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organising.event_cancel(event=event, by=acting_user(request), reason=form.cleaned_data["reason"])
        messages.success(request, _("The event is cancelled; everyone who replied is told by e-mail."))
        return redirect(event)
    return render(request, "events/cancel.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def attendees(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The list at the door: check people in; `?format=csv` downloads it."""
    event = access.event_for(request, pk, access.may_see_attendees)
    if request.method == "POST":
        form = forms.CheckInForm(request.POST)
        if form.is_valid():
            reply = selectors.rsvp_of_event(event, form.cleaned_data["rsvp"])
            if reply is None:
                raise Http404
            try:
                services.rsvp_check_in(rsvp=reply, by=acting_user(request), undo=form.cleaned_data["undo"])
            except services.EventError as refusal:
                show_refusal(request, refusal)
        # Back to the same search, at the same row, so the person at the door keeps their place.
        query = urlencode({"q": form.cleaned_data["q"] if form.is_valid() else ""})
        anchor = f"rsvp-{form.data.get('rsvp', '')}"
        return redirect(f"{reverse('events:attendees', args=[event.pk])}?{query}#{anchor}")
    q = request.GET.get("q", "").strip()[:100]
    rsvps = selectors.rsvps_for_organisers(event, q=q)
    if request.GET.get("format") == "csv":
        return _attendees_csv(event, rsvps)
    return render(
        request,
        "events/attendees.html",
        {"event": event, "rsvps": rsvps, "q": q, "counts": selectors.rsvp_counts(event)},
    )


def _attendees_csv(event: Event, rsvps: Any) -> StreamingHttpResponse:
    header = ["name", "email", "guests", "status", "replied_at", "checked_in_at", "referred_by"]
    rows = (  # dates are written in ISO 8601 and None as an empty cell (`csv_export.safe_cell`)
        [
            reply.name,
            reply.email,
            reply.guests,
            reply.status,
            reply.created_at,
            reply.checked_in_at,
            reply.referred_by.slug if reply.referred_by else "",
        ]
        for reply in rsvps.iterator(chunk_size=2000)
    )
    response = csv_response(rows, header=header, filename=f"event-{event.pk}-attendees.csv", bom=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.event_for(request, pk, access.may_organise)
    existing = getattr(event, "report", None)
    initial = (
        {"attendance": existing.attendance, "notes": existing.notes}
        if existing
        else {"attendance": selectors.rsvp_counts(event)["checked_in"] or None}
    )
    form = forms.ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and "delete_photo" in request.POST and existing:
        delete = forms.PhotoDeleteForm(request.POST)
        item = selectors.report_photo(existing, delete.cleaned_data["delete_photo"]) if delete.is_valid() else None
        if item:
            services.report_photo_delete(photo=item)
            messages.success(request, _("The photo was removed."))
        return redirect("events:report", pk=event.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = [(data["photo"], data["caption"])] if data.get("photo") else []
        try:
            services.report_save(
                event=event,
                attendance=data["attendance"],
                notes=data["notes"],
                photos=photos,
                by=acting_user(request),
            )
        except services.EventError as refusal:
            show_refusal(request, refusal, form=form)
        else:
            messages.success(request, _("The report is saved and shown on the event's page."))
            return redirect(event)
    photos_list = list(existing.photos.all()) if existing else []
    return render(request, "events/report_form.html", {"event": event, "form": form, "photos": photos_list})
