"""Pages of the engagement app: for the coalition only (staff and member organisations' editors). The
delegations' pages are in `delegation_views`.

Views parse input, call a selector or a service, and render; who may do what is in `selectors.Access`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coalition.core.audit import acting_user
from coalition.engagement import follow_ups, forms, selectors, services
from coalition.engagement.models import Commitment, OfficialMeeting
from coalition.engagement.selectors import Access
from coalition.engagement.services import EngagementError
from coalition.lib.csv_export import csv_response
from coalition.lib.downloads import set_attachment
from coalition.lib.refusals import show_refusal
from coalition.members.models import Organisation

PAGE_SIZE = 25

View = Callable[..., HttpResponseBase]


def coalition_only(view: View) -> View:
    """Visitors are sent to log in; signed-in people outside the coalition get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = selectors.engagement_access(request.user)
        if not access.allowed:
            raise PermissionDenied
        return view(request, access, *args, **kwargs)

    return wrapped


def _organisations_for(access: Access) -> QuerySet[Organisation]:
    if access.staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=access.organisation_ids).order_by("name")


def _get_meeting_for_reader(access: Access, pk: int) -> OfficialMeeting:
    meeting = selectors.meeting_for_reading(access, pk)
    if meeting is None:
        # A restricted meeting is answered as if it did not exist: its existence is not for everyone either.
        raise Http404
    return meeting


def _get_rw_meeting_for_user(access: Access, pk: int) -> OfficialMeeting:
    meeting = _get_meeting_for_reader(access, pk)
    if not access.may_edit(meeting):
        raise PermissionDenied
    return meeting


# --- the app's home ---------------------------------------------------------------------------------------


@require_GET
@coalition_only
def index(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request,
        "engagement/index.html",
        {
            "access": access,
            "recent": selectors.recent_meetings(access),
            "follow_ups": list(selectors.follow_ups_for(access)[:10]),
            "treaty_meetings": selectors.upcoming_treaty_meetings(access),
            "today": timezone.localdate(),
        },
    )


# --- meetings ----------------------------------------------------------------------------------------------


def _paged(request: HttpRequest, items: QuerySet[Any]) -> dict[str, Any]:
    """The requested page of `items`, and the query string the page links keep (all but the page)."""
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")), "query_string": params.urlencode()}


def _filters(form: forms.MeetingFilterForm) -> selectors.MeetingFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.MeetingFilters()
    data = form.cleaned_data
    return selectors.MeetingFilters(
        state=data["state"] or "",
        organisation=data["organisation"],
        official=data["official"] or "",
        date_from=data["date_from"],
        date_to=data["date_to"],
        commitment_status=data["commitment_status"] or "",
    )


@require_GET
@coalition_only
def meeting_list(request: HttpRequest, access: Access) -> HttpResponse:
    form = forms.MeetingFilterForm(request.GET or None)
    meetings = selectors.meetings_search(access, _filters(form))
    context = {"form": form, "access": access, **_paged(request, meetings)}
    return render(request, "engagement/meeting_list.html", context)


@require_GET
@coalition_only
def meeting_export(request: HttpRequest, access: Access) -> HttpResponseBase:
    """The list's meetings as CSV, with the same filters: only what the user may read."""
    form = forms.MeetingFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("These filters are not valid."), status=400, content_type="text/plain")
    header, rows = selectors.meetings_csv_rows(selectors.meetings_search(access, _filters(form)))
    return csv_response(rows, header=header, filename="meetings-with-officials.csv")


def _save_meeting(request: HttpRequest, form: forms.MeetingForm, meeting: OfficialMeeting | None) -> OfficialMeeting:
    data = form.cleaned_data
    parts: dict[str, Any] = {
        "by": acting_user(request),
        "data": form.meeting_data(),
        "positions": list(data["positions"]),
        "other_officials": data["other_officials"],
        "attendees": data["attendees"],
        "attachments": [data["attachment"]] if data.get("attachment") else [],
    }
    if meeting is None:
        return services.meeting_create(**parts, commitments=data["commitments"])
    return services.meeting_update(meeting=meeting, **parts, new_commitments=data["commitments"])


def _meeting_form_page(
    request: HttpRequest, access: Access, meeting: OfficialMeeting | None, initial: dict[str, Any], saved: str
) -> HttpResponse:
    """The form to record a meeting (`meeting` None) or edit one; on success, to the meeting with `saved`."""
    form = forms.MeetingForm(
        request.POST or None,
        request.FILES or None,
        organisations=_organisations_for(access),
        staff=access.staff,
        editing=meeting is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            stored = _save_meeting(request, form, meeting)
        except EngagementError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, saved)
            return redirect(stored)
    return render(request, "engagement/meeting_form.html", {"form": form, "meeting": meeting})


@coalition_only
def meeting_create(request: HttpRequest, access: Access) -> HttpResponse:
    initial = {"held_on": timezone.localdate(), "state": request.GET.get("state", "")[:3]}
    return _meeting_form_page(request, access, None, initial, _("The meeting was recorded."))


@coalition_only
def meeting_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    meeting = _get_rw_meeting_for_user(access, pk)
    others = "\n".join(f"{o.name}; {o.title}" for o in meeting.officials.all() if o.position_id is None)
    attendees = "\n".join(f"{a.name}; {a.organisation_label}" for a in meeting.attendees.all())
    initial = {
        "state": meeting.state_id,
        "organisation": meeting.organisation_id,
        "held_on": meeting.held_on,
        "status": meeting.status,
        "format": meeting.format,
        "positions": [o.position_id for o in meeting.officials.all() if o.position_id],
        "other_officials": others,
        "attendees": attendees,
        "topics": meeting.topics,
        "topics_other": meeting.topics_other,
        "stated_position": meeting.stated_position,
        "outcome": meeting.outcome,
        "visibility": meeting.visibility,
    }
    return _meeting_form_page(
        request, access, meeting, initial, _("The meeting was saved; the change is on the audit trail.")
    )


@require_GET
@coalition_only
def meeting_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_reader(access, pk)
    return render(
        request,
        "engagement/meeting_detail.html",
        {
            "meeting": meeting,
            "may_edit": access.may_edit(meeting),
            "status_choices": Commitment.Status.choices,
            "today": timezone.localdate(),
        },
    )


@require_POST
@coalition_only
def commitment_status(request: HttpRequest, access: Access, pk: int, commitment_id: int) -> HttpResponse:
    meeting = _get_rw_meeting_for_user(access, pk)
    commitment = get_object_or_404(Commitment.objects.select_related("meeting"), pk=commitment_id, meeting=meeting)
    form = forms.CommitmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(meeting)
    services.commitment_set_status(commitment=commitment, status=form.cleaned_data["status"], by=acting_user(request))
    messages.success(request, _("The commitment's status was saved."))
    return redirect(meeting)


@require_GET
@coalition_only
def attachment(request: HttpRequest, access: Access, pk: int, attachment_id: int) -> FileResponse:
    meeting = _get_meeting_for_reader(access, pk)
    found = get_object_or_404(meeting.attachments.all(), pk=attachment_id)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    return set_attachment(response, found.original_name)


# --- follow-ups --------------------------------------------------------------------------------------------


def _owners(access: Access) -> QuerySet[Any]:
    """Staff give follow-ups to any coalition user; an editor to themselves or fellow editors."""
    users = selectors.coalition_users()
    if access.staff:
        return users
    return users.filter(edited_organisations__in=access.organisation_ids).distinct()


@require_GET
@coalition_only
def follow_up_list(request: HttpRequest, access: Access) -> HttpResponse:
    everyone = access.staff and request.GET.get("who") == "everyone"
    include_done = request.GET.get("show") == "all"
    context = {
        "everyone": everyone,
        "include_done": include_done,
        "access": access,
        "today": timezone.localdate(),
        **_paged(request, selectors.follow_ups_for(access, everyone=everyone, include_done=include_done)),
    }
    return render(request, "engagement/follow_up_list.html", context)


def _follow_up_sources(access: Access, data: dict[str, Any]) -> tuple[OfficialMeeting | None, Commitment | None]:
    """The meeting and the commitment a new follow-up comes from, if any: 404 for one the user may not read."""
    meeting = _get_meeting_for_reader(access, data["meeting"]) if data["meeting"] else None
    commitment = None
    if data["commitment"]:
        commitment = Commitment.objects.select_related("meeting").filter(pk=data["commitment"]).first()
        if commitment is None or not access.may_read(commitment.meeting):
            raise Http404
    return meeting, commitment


@coalition_only
def follow_up_create(request: HttpRequest, access: Access) -> HttpResponse:
    user = acting_user(request)
    form = forms.FollowUpForm(
        request.POST or None,
        owners=_owners(access),
        initial={
            "owner": user.pk,
            "meeting": request.GET.get("meeting", "")[:12],
            "commitment": request.GET.get("commitment", "")[:12],
        },
    )
    if request.method == "POST" and form.is_valid():
        meeting, commitment = _follow_up_sources(access, form.cleaned_data)
        fields = {name: form.cleaned_data[name] for name in ("title", "owner", "due_on", "notes", "state")}
        try:
            follow_ups.follow_up_create(by=user, meeting=meeting, commitment=commitment, **fields)
        except EngagementError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("The follow-up was created."))
            return redirect("engagement:follow-ups")
    return render(request, "engagement/follow_up_form.html", {"form": form})


@require_POST
@coalition_only
def follow_up_done(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_for_owner_or_staff(access, pk)
    if follow_up is None:
        raise Http404
    follow_ups.follow_up_complete(follow_up=follow_up, by=acting_user(request))
    messages.success(request, _("Done: “%(title)s”.") % {"title": follow_up.title})
    return redirect("engagement:follow-ups")
