"""Pages of the coalition's delegation to a treaty meeting (`delegation_urls`): the delegation and its
assignments, a delegate's day sheet, the bilaterals logged from it, the report and the printed briefs.

For the coalition only, as every page of the app (`views.coalition_only`); staff run the delegation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coalition.core.audit import acting_user
from coalition.engagement import delegations, forms, selectors
from coalition.engagement.delegation_briefs import delegation_briefs_request
from coalition.engagement.models import Delegation, DelegationBriefs
from coalition.engagement.selectors import Access
from coalition.engagement.services import EngagementError
from coalition.engagement.views import coalition_only
from coalition.lib.downloads import set_attachment
from coalition.lib.refusals import show_refusal
from coalition.states.models import Meeting


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
                delegations.delegation_create(meeting=meeting, by=user, notes=create_form.cleaned_data["notes"])
                messages.success(request, _("The delegation was created."))
                return redirect("delegation:detail", slug=slug)
            if delegation is not None and delegate_form.is_bound and delegate_form.is_valid():
                data = delegate_form.cleaned_data
                delegations.delegate_add(
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
                delegations.assignment_set(
                    delegation=delegation, delegate=delegate, state=data["state"], asks=data["asks"], by=user
                )
                messages.success(request, _("The state was assigned."))
                return redirect("delegation:detail", slug=slug)
        except EngagementError as error:
            bound = [f for f in (create_form, delegate_form, assignment_form) if f.is_bound]
            show_refusal(request, error, form=bound[0] if bound else create_form)
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
            logged = delegations.bilateral_log(
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
            show_refusal(request, error, form=form)
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
        job = delegation_briefs_request(
            delegation=delegation,
            by=acting_user(request),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    except EngagementError as error:
        show_refusal(request, error)
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
