"""The registry's tools for editors (their organisation's profile and referrals) and staff (status,
applications, the lists of organisations and supporters and their CSV exports, imports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coalition.core.audit import acting_user
from coalition.lib.imports import ImportRejected
from coalition.lib.paging import query_string_without_page
from coalition.lib.permissions import permission_required
from coalition.lib.refusals import show_refusal
from coalition.members import exports, forms, importing, selectors
from coalition.members.applications import NeedsConfirmation, NotPending, application_approve, application_reject
from coalition.members.models import MembershipApplication, Organisation
from coalition.members.organisations import organisation_set_status, organisation_update_profile

STAFF_PAGE_SIZE = 50


# --- editors -----------------------------------------------------------------------------------


def _get_organisation_for_editor(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, if this user edits it (its editors, or staff allowed to change any); else 403."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not selectors.organisation_editable(request, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get_organisation_for_editor(request, slug)
    form = forms.OrganisationProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        organisation_update_profile(organisation=organisation, data=data, by=acting_user(request))
        messages.success(request, _("The profile was saved."))
        if organisation.is_public:
            return redirect(organisation)
        return redirect("members:edit", slug=organisation.slug)
    referral_link = f"{settings.SITE_URL}{reverse('members:sign-up')}?ref={organisation.slug}"
    return render(
        request,
        "members/edit.html",
        {
            "organisation": organisation,
            "form": form,
            "referral_link": referral_link,
            "referral_credit": selectors.referral_credit(organisation),
            "status_form": forms.StatusForm(initial={"status": organisation.status})
            if request.user.has_perm("members.change_organisation")
            else None,
            "history": organisation.status_changes.select_related("changed_by"),
        },
    )


# --- staff -------------------------------------------------------------------------------------


@permission_required("members.change_organisation")
@require_http_methods(["POST"])
def staff_set_status(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        organisation_set_status(
            organisation=organisation,
            status=form.cleaned_data["status"],
            by=acting_user(request),
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Choose a status and say why."))
    return redirect("members:edit", slug=organisation.slug)


@permission_required("members.change_membershipapplication")
def staff_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_pending(), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/staff/applications.html", {"page": page})


@permission_required("members.change_membershipapplication")
@require_http_methods(["GET", "POST"])
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(MembershipApplication.objects.select_related("organisation", "decided_by"), pk=pk)
    existing = application.is_for_existing_organisation()
    form = forms.DecisionForm(request.POST or None, existing_organisation=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                if approve:
                    application_approve(
                        application=application,
                        by=acting_user(request),
                        message=form.cleaned_data["message"],
                        confirm_existing=bool(form.cleaned_data.get("confirm_existing")),
                    )
                else:
                    application_reject(
                        application=application,
                        by=acting_user(request),
                        message=form.cleaned_data["message"],
                    )
            except NotPending as refusal:
                show_refusal(request, refusal)
            except NeedsConfirmation as refusal:
                # The organisation came on record since the page was shown: show it again, with the box.
                show_refusal(request, refusal)
                return redirect("members:staff-application", pk=application.pk)
            else:
                if approve:
                    messages.success(
                        request, _("Approved: the applicant is told by e-mail and can now edit the profile.")
                    )
                else:
                    messages.success(request, _("Rejected: the applicant is told by e-mail."))
            return redirect("members:staff-applications")
        if "confirm_existing" in form.errors:
            status = 400
    history = application.organisation.status_changes.select_related("changed_by")
    return render(
        request,
        "members/staff/application.html",
        {
            "application": application,
            "form": form,
            "history": history,
            "existing": existing,
            "editors": application.organisation.editors.order_by("email") if existing else [],
        },
        status=status,
    )


def _filtered(form: Any) -> dict[str, Any]:
    return {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}


@login_required
def referrals(request: HttpRequest, slug: str) -> HttpResponse:
    """What the organisation's `?ref=` links brought, per kind, month and action or event: its editors and staff."""
    organisation = _get_organisation_for_editor(request, slug)
    credit = selectors.referral_credit(organisation)
    return render(request, "members/referrals.html", {"organisation": organisation, "credit": credit})


@permission_required("members.view_organisation")
def staff_referrals(request: HttpRequest) -> HttpResponse:
    """Staff compare what each organisation's links brought."""
    labels, standings = selectors.referral_comparison()
    return render(request, "members/staff/referrals.html", {"labels": labels, "standings": standings})


def _staff_list(
    request: HttpRequest,
    form: forms.StaffOrganisationFilterForm | forms.StaffSupporterFilterForm,
    records: QuerySet[Any],
    *,
    template: str,
    export: exports.Export,
    shown: Callable[[Any], Any] | None = None,
) -> HttpResponseBase:
    """A staff list, filtered by `form`: a page of it (its records passed through `shown`, if given), or all of
    it as CSV (`?format=csv`)."""
    if request.GET.get("format") == "csv":
        return export.response(records)
    page = Paginator(records, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    if shown is not None:
        page.object_list = shown(page.object_list)
    return render(request, template, {"form": form, "page": page, "query_string": query_string_without_page(request)})


@permission_required("members.view_organisation")  # type: ignore[arg-type]  # streams CSV
def staff_organisations(request: HttpRequest) -> HttpResponseBase:
    form = forms.StaffOrganisationFilterForm(request.GET or None)
    organisations = selectors.organisations_for_staff(**_filtered(form))
    return _staff_list(
        request, form, organisations, template="members/staff/organisations.html", export=exports.ORGANISATIONS
    )


@permission_required("members.view_supporter")  # type: ignore[arg-type]  # streams CSV
def staff_supporters(request: HttpRequest) -> HttpResponseBase:
    form = forms.StaffSupporterFilterForm(request.GET or None)
    supporters = selectors.supporters_for_staff(**_filtered(form))
    return _staff_list(
        request,
        form,
        supporters,
        template="members/staff/supporters.html",
        export=exports.SUPPORTERS,
        shown=selectors.supporters_with_notes,
    )


@permission_required("members.add_organisation")
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "columns": importing.COLUMNS}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["csv_text"]
        confirm = form.cleaned_data["confirm"]
        try:
            report = importing.organisations_import(text=text, dry_run=not confirm, by=acting_user(request))
        except ImportRejected as exc:
            context["errors"] = exc.errors
            return render(request, "members/staff/import.html", context, status=400)
        if confirm:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated.")
                % {"created": len(report.to_create), "updated": len(report.to_update)},
            )
            return redirect("members:staff-organisations")
        context["report"] = report
        context["confirm_form"] = forms.ImportForm(initial={"csv_text": text, "confirm": True})
    return render(request, "members/staff/import.html", context)
