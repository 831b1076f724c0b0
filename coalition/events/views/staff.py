"""Staff's pages of the events app: the queue of events waiting for review, and the review itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coalition.core.audit import acting_user
from coalition.events import forms, organising, selectors, services
from coalition.lib.permissions import permission_required
from coalition.lib.refusals import show_refusal


@permission_required("events.moderate_event")
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.events_awaiting_review(), 50).get_page(request.GET.get("page"))
    return render(request, "events/staff/review_queue.html", {"page": page})


@permission_required("events.moderate_event")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk)
    if event is None:
        raise Http404
    form = forms.ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "publish":
                organising.event_publish(event=event, by=acting_user(request))
                messages.success(request, _("Published: the event is now public."))
            else:
                organising.event_send_back(event=event, by=acting_user(request), comment=form.cleaned_data["comment"])
                messages.success(request, _("Sent back: the organisers are told what to change."))
        except services.EventError as refusal:
            show_refusal(request, refusal)
        return redirect("events:review-queue")
    return render(request, "events/staff/review.html", {"event": event, "form": form})
