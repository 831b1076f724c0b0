"""Pages of the engagement app: for the coalition only (staff and member organisations' editors).

Views parse input, call a selector or a service, and render; who may do what is in `selectors.Access`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coalition.core.audit import acting_user
from coalition.engagement import forms, selectors, services
from coalition.engagement.models import Commitment, Delegation, DelegationBriefs, OfficialMeeting
from coalition.engagement.selectors import Access
from coalition.engagement.services import EngagementError
from coalition.lib.csv_export import csv_response
from coalition.lib.downloads import set_attachment
from coalition.members.models import Organisation
from coalition.states.models import Meeting

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


def _show_error(form: Any, error: EngagementError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


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
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "engagement/meeting_list.html",
        {"form": form, "page": page, "query_string": params.urlencode(), "access": access},
    )


@require_GET
@coalition_only
def meeting_export(request: HttpRequest, access: Access) -> HttpResponseBase:
    """The list's meetings as CSV, with the same filters: only what the user may read."""
    form = forms.MeetingFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("These filters are not valid."), status=400, content_type="text/plain")
    header, rows = selectors.meetings_csv_rows(selectors.meetings_search(access, _filters(form)))
    return csv_response(rows, header=header, filename="meetings-with-officials.csv")


def _save_meeting(
    request: HttpRequest, access: Access, form: forms.MeetingForm, meeting: OfficialMeeting | None
) -> OfficialMeeting | None:
    data = form.cleaned_data
    uploads = [data["attachment"]] if data.get("attachment") else []
    try:
        if meeting is None:
            return services.meeting_create(
                by=acting_user(request),
                data=form.meeting_data(),
                positions=list(data["positions"]),
                other_officials=data["other_officials"],
                attendees=data["attendees"],
                commitments=data["commitments"],
                attachments=uploads,
            )
        return services.meeting_update(
            meeting=meeting,
            by=acting_user(request),
            data=form.meeting_data(),
            positions=list(data["positions"]),
            other_officials=data["other_officials"],
            attendees=data["attendees"],
            new_commitments=data["commitments"],
            attachments=uploads,
        )
    except EngagementError as error:
        _show_error(form, error)
        return None


@coalition_only
def meeting_create(request: HttpRequest, access: Access) -> HttpResponse:
    form = forms.MeetingForm(
        request.POST or None,
        request.FILES or None,
        organisations=_organisations_for(access),
        staff=access.staff,
        initial={"held_on": timezone.localdate(), "state": request.GET.get("state", "")[:3]},
    )
    if request.method == "POST" and form.is_valid():
        meeting = _save_meeting(request, access, form, None)
        if meeting is not None:
            messages.success(request, _("The meeting was recorded."))
            return redirect(meeting)
    return render(request, "engagement/meeting_form.html", {"form": form, "meeting": None})


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
    form = forms.MeetingForm(
        request.POST or None,
        request.FILES or None,
        organisations=_organisations_for(access),
        staff=access.staff,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_meeting(request, access, form, meeting)
        if saved is not None:
            messages.success(request, _("The meeting was saved; the change is on the audit trail."))
            return redirect(saved)
    return render(request, "engagement/meeting_form.html", {"form": form, "meeting": meeting})


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
    follow_ups = selectors.follow_ups_for(access, everyone=everyone, include_done=include_done)
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "engagement/follow_up_list.html",
        {
            "page": page,
            "everyone": everyone,
            "include_done": include_done,
            "access": access,
            "today": timezone.localdate(),
            "query_string": params.urlencode(),
        },
    )


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
        data = form.cleaned_data
        meeting = None
        commitment = None
        if data["meeting"]:
            meeting = selectors.meeting_for_reading(access, data["meeting"])
            if meeting is None:
                raise Http404
        if data["commitment"]:
            commitment = Commitment.objects.select_related("meeting").filter(pk=data["commitment"]).first()
            if commitment is None or not access.may_read(commitment.meeting):
                raise Http404
        try:
            services.follow_up_create(
                by=user,
                title=data["title"],
                owner=data["owner"],
                due_on=data["due_on"],
                notes=data["notes"],
                meeting=meeting,
                commitment=commitment,
                state=data["state"],
            )
        except EngagementError as error:
            _show_error(form, error)
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
    services.follow_up_complete(follow_up=follow_up, by=acting_user(request))
    messages.success(request, _("Done: “%(title)s”.") % {"title": follow_up.title})
    return redirect("engagement:follow-ups")


# --- delegations at treaty meetings ---------------------------------------------------------------------


def _treaty_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


def _delegation_or_404(meeting: Meeting) -> Delegation:
    delegation = selectors.delegation_for(meeting)
    if delegation is None:
        raise Http404
    return delegation


@coalition_only
def delegation_detail(request: HttpRequest, access: Access, slug: str) -> HttpResponse:
    """The delegation, its assignments with their priority; staff create it, add delegates and assign states."""
    meeting = _treaty_meeting(slug)
    delegation = selectors.delegation_for(meeting)
    if request.method == "POST" and not access.staff:
        raise PermissionDenied
    create_form = forms.DelegationForm(request.POST if request.POST.get("form") == "create" else None)
    delegate_form = forms.DelegateForm(
        request.POST if request.POST.get("form") == "delegate" else None, users=selectors.coalition_users()
    )
    delegates = list(delegation.delegates.select_related("user").order_by("id")) if delegation else []
    assignment_form = forms.AssignmentForm(
        request.POST if request.POST.get("form") == "assign" else None,
        delegates=[(d.pk, str(d)) for d in delegates],
    )
    if request.method == "POST":
        user = acting_user(request)
        try:
            if create_form.is_bound and create_form.is_valid():
                services.delegation_create(meeting=meeting, by=user, notes=create_form.cleaned_data["notes"])
                messages.success(request, _("The delegation was created."))
                return redirect("delegation:detail", slug=slug)
            if delegation is not None and delegate_form.is_bound and delegate_form.is_valid():
                data = delegate_form.cleaned_data
                services.delegate_add(
                    delegation=delegation,
                    user=data["user"],
                    by=user,
                    arrives_on=data["arrives_on"],
                    leaves_on=data["leaves_on"],
                )
                messages.success(request, _("The delegate was added."))
                return redirect("delegation:detail", slug=slug)
            if delegation is not None and assignment_form.is_bound and assignment_form.is_valid():
                data = assignment_form.cleaned_data
                delegate = next((d for d in delegates if d.pk == data["delegate"]), None)
                if delegate is None:
                    raise EngagementError(_("Choose a delegate of this delegation."), field="delegate")
                services.assignment_set(
                    delegation=delegation, delegate=delegate, state=data["state"], asks=data["asks"], by=user
                )
                messages.success(request, _("The state was assigned."))
                return redirect("delegation:detail", slug=slug)
        except EngagementError as error:
            bound = [f for f in (create_form, delegate_form, assignment_form) if f.is_bound]
            _show_error(bound[0] if bound else create_form, error)
    context: dict[str, Any] = {
        "meeting": meeting,
        "delegation": delegation,
        "access": access,
        "create_form": create_form,
        "delegate_form": delegate_form,
        "assignment_form": assignment_form,
        "is_delegate": any(d.user_id == access.user_id for d in delegates),
    }
    if delegation is not None:
        context.update(selectors.delegation_page(delegation))
    status = 400 if request.method == "POST" else 200
    return render(request, "engagement/delegation_detail.html", context, status=status)


@require_GET
@coalition_only
def day_sheet(request: HttpRequest, access: Access, slug: str) -> HttpResponse:
    meeting = _treaty_meeting(slug)
    delegation = _delegation_or_404(meeting)
    delegate = selectors.delegate_of(delegation, request.user)
    rows = selectors.day_sheet(delegation=delegation, delegate=delegate, access=access) if delegate else []
    return render(
        request,
        "engagement/day_sheet.html",
        {"meeting": meeting, "delegation": delegation, "delegate": delegate, "rows": rows, "access": access},
    )


@coalition_only
def bilateral_log(request: HttpRequest, access: Access, slug: str) -> HttpResponse:
    meeting = _treaty_meeting(slug)
    delegation = _delegation_or_404(meeting)
    delegate = selectors.delegate_of(delegation, request.user)
    if delegate is None and not access.staff:
        raise PermissionDenied
    form = forms.BilateralForm(
        request.POST or None,
        initial={"held_on": timezone.localdate(), "state": request.GET.get("state", "")[:3]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.bilateral_log(
                delegation=delegation,
                by=acting_user(request),
                state=data["state"],
                held_on=data["held_on"],
                officials=data["officials"],
                stated_position=data["stated_position"],
                outcome=data["outcome"].strip(),
                commitments=data["commitments"],
                follow_up_title=data["follow_up_title"],
                follow_up_due=data["follow_up_due"],
                visibility=data["visibility"],
            )
        except EngagementError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("The bilateral with %(state)s was logged as a meeting record.")
                % {"state": logged.state.display_name},
            )
            return redirect("delegation:day-sheet", slug=slug)
    return render(request, "engagement/bilateral_form.html", {"meeting": meeting, "form": form})


@require_POST
@coalition_only
def delegation_briefs(request: HttpRequest, access: Access, slug: str) -> HttpResponse:
    """Ask for the country briefs of every assigned state as one PDF, drawn by a task; on to its progress page."""
    meeting = _treaty_meeting(slug)
    delegation = _delegation_or_404(meeting)
    try:
        job = services.delegation_briefs_request(
            delegation=delegation,
            by=acting_user(request),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    except EngagementError as error:
        messages.error(request, error.message)
        return redirect("delegation:detail", slug=slug)
    return redirect("delegation:briefs-job", slug=slug, pk=job.pk)


@require_GET
@coalition_only
def delegation_briefs_job(request: HttpRequest, access: Access, slug: str, pk: int) -> HttpResponseBase:
    """The progress of one's own briefs PDF (refreshing itself until it is ready), and its download."""
    job = get_object_or_404(
        DelegationBriefs.objects.select_related("delegation__meeting"),
        pk=pk,
        delegation__meeting__slug=slug,
        requested_by=request.user,  # anyone else's PDF (it may hold what they may not read) does not exist here
    )
    if request.GET.get("download"):
        if job.status != DelegationBriefs.Status.DONE:
            raise Http404
        if not job.file.name or not job.file.storage.exists(job.file.name):
            # The file went (a restore without the media, a disk cleaned by hand): say so, not a server error.
            context = {"job": job, "meeting": job.delegation.meeting, "access": access, "missing": True}
            return render(request, "engagement/delegation_briefs.html", context, status=404)
        response = FileResponse(job.file.open("rb"), content_type="application/pdf")
        meeting = job.delegation.meeting
        return set_attachment(response, f"briefs-{meeting.slug}-{job.created_at:%Y%m%d}.pdf")
    return render(
        request, "engagement/delegation_briefs.html", {"job": job, "meeting": job.delegation.meeting, "access": access}
    )


@require_GET
@coalition_only
def delegation_report(request: HttpRequest, access: Access, slug: str) -> HttpResponse:
    meeting = _treaty_meeting(slug)
    delegation = _delegation_or_404(meeting)
    report = selectors.delegation_report(delegation=delegation, access=access)
    return render(
        request, "engagement/delegation_report.html", {"meeting": meeting, "delegation": delegation, **report}
    )
