"""Pages of field research: the public figures, researchers' workspace, the reviewers' inbox, imports, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.accounts.models import User
from coalition.core.audit import acting_user
from coalition.lib.downloads import set_attachment
from coalition.lib.page_cache import public_page
from coalition.lib.permissions import permission_required
from coalition.lib.refusals import Refused, show_refusal
from coalition.research import charts, exporting, forms, selectors, services
from coalition.research.importing import jobs, spec
from coalition.research.models import (
    ContaminatedArea,
    ExportJob,
    ImportJob,
    JobStatus,
    Report,
    Reviewable,
    Status,
    Strike,
)

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    # Only called behind login_required / permission_required, where the user is a real account.
    return acting_user(request)


def _public_filters(request: HttpRequest) -> tuple[forms.PublicFilterForm, selectors.PublicFilters]:
    form = forms.PublicFilterForm(request.GET or None, states=selectors.states_with_research())
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.PublicFilters(
            state=data["state"] or "", year_from=data["year_from"], year_to=data["year_to"]
        )
    return form, selectors.PublicFilters()


# --- public ------------------------------------------------------------------------------------


@public_page
def index(request: HttpRequest) -> HttpResponse:
    form, filters = _public_filters(request)
    figures = selectors.public_figures(filters)
    strike_cells = selectors.map_clusters(Strike, filters, cell=charts.cell_size(figures.strikes))
    area_cells = selectors.map_clusters(ContaminatedArea, filters, cell=charts.cell_size(figures.areas))
    state_bars = charts.bar_list(
        [
            (row["name"], (row["killed"] or 0) + (row["injured"] or 0), f"?state={row['state_id']}")
            for row in figures.by_state
        ]
    )
    context = {
        "form": form,
        "filters": filters,
        "figures": figures,
        "year_bars": charts.column_chart(figures.by_year, label="year"),
        "state_bars": state_bars,
        "state_chart_height": len(state_bars) * 18,
        "breakdowns": figures.breakdowns,
        "sex_age_bars": charts.bar_list(
            [(str(row.label), row.total, "") for row in figures.breakdowns[0]["rows"]], width=220
        ),
        "sex_age_chart_height": 18 * len(figures.breakdowns[0]["rows"]),
        "research_map": charts.research_map(strike_cells, area_cells, selectors.area_outlines(filters)),
        "reports": selectors.public_reports(filters)[:5],
        "query_string": request.GET.urlencode(),
        "export_formats": forms.EXPORT_FORMATS,
    }
    return render(request, "research/index.html", context)


def report_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_reports(), 20).get_page(request.GET.get("page"))
    return render(request, "research/report_list.html", {"page": page})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("organisation"), pk=pk)
    if not selectors.can_view(request.user, report):
        raise Http404
    return render(
        request,
        "research/report_detail.html",
        {"report": report, "attachments": list(report.attachments.all()), "states": list(report.states.all())},
    )


def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    report = get_object_or_404(Report, pk=pk)
    if not selectors.can_view(request.user, report):
        raise Http404
    attachment = get_object_or_404(report.attachments, pk=attachment_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    # The uploader chose the name: built by Django (quoted, or RFC 5987), so it cannot add a header or an extension.
    return set_attachment(response, attachment.original_name)


def export(request: HttpRequest) -> HttpResponseBase:
    """Small exports stream at once; large ones become a task with a page that links to the file when ready."""
    form = forms.ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose what to export and in which format."), status=400, content_type="text/plain")
    data = form.cleaned_data
    filters = selectors.PublicFilters(
        state=(data["state"] or "").upper(), year_from=data["year_from"], year_to=data["year_to"]
    )
    if exporting.export_count(data["kind"], filters) <= settings.RESEARCH_EXPORT_SYNC_ROWS:
        response = StreamingHttpResponse(
            exporting.export_lines(data["kind"], data["format"], filters),
            content_type=exporting.FORMATS[data["format"]],
        )
        set_attachment(response, exporting.filename(data["kind"], data["format"]))
        return response
    filter_values = {"state": filters.state, "year_from": filters.year_from, "year_to": filters.year_to}
    job = services.export_job_request(kind=data["kind"], file_format=data["format"], filters=filter_values)
    return redirect(job)


def export_job(request: HttpRequest, token: str) -> HttpResponseBase:
    job = get_object_or_404(ExportJob, token=token)
    if job.status == JobStatus.DONE and request.GET.get("download"):
        response = FileResponse(job.file.open("rb"), content_type=exporting.FORMATS[job.format])
        set_attachment(response, exporting.filename(job.kind, job.format))
        return response
    return render(request, "research/export_job.html", {"job": job})


# --- researchers' workspace --------------------------------------------------------------------


def _kind(kind: str) -> type[Reviewable]:
    if kind not in selectors.KINDS:
        raise Http404
    return selectors.KINDS[kind]


def _get_record_for_viewer(request: HttpRequest, kind: str, pk: int) -> Reviewable:
    record = get_object_or_404(_kind(kind), pk=pk)
    if not selectors.can_view(request.user, record):
        raise Http404
    return record


def _get_rw_record_for_user(request: HttpRequest, kind: str, pk: int) -> Reviewable:
    record = _get_record_for_viewer(request, kind, pk)
    if not selectors.can_edit(request.user, record):
        raise PermissionDenied
    return record


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.research_organisations(request.user))
    if not organisations and not selectors.is_reviewer(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "casualty")
    _kind(kind)
    status = request.GET.get("status", "")
    page = Paginator(selectors.workspace_records(request.user, kind, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "research/workspace/index.html",
        {"organisations": organisations, "page": page, "kind": kind, "status": status, "statuses": Status.choices},
    )


def _form_kwargs(request: HttpRequest, kind: str, organisation_ids: set[int]) -> dict[str, Any]:
    if kind == "casualty":
        return {"strikes": Strike.objects.filter(organisation_id__in=organisation_ids).order_by("-date")[:200]}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    model = _kind(kind)
    organisations = list(selectors.research_organisations(request.user))
    reviewer = selectors.is_reviewer(request.user)
    if not organisations and not reviewer:
        raise PermissionDenied
    org_ids = {o.pk for o in organisations}
    form_class = forms.FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, **_form_kwargs(request, kind, org_ids))

    def save() -> Reviewable:
        organisation = organisations[0] if organisations else None
        chosen = request.POST.get("organisation")
        if chosen:
            organisation = next((o for o in organisations if str(o.pk) == chosen), None)
            if organisation is None:
                raise PermissionDenied
        return services.record_create(
            record=form.save(commit=False), by=_user(request), organisation=organisation, extras=form.record_extras()
        )

    context = {"kind": kind, "model": model, "record": None, "organisations": organisations}
    return _record_form(request, form, save, _("Saved as a draft. Submit it for review when it is complete."), context)


def _record_form(
    request: HttpRequest, form: forms.RecordForm, save: Callable[[], Reviewable], success: str, context: dict[str, Any]
) -> HttpResponse:
    """On a valid POST, save through the services and show the record (with the form's warnings); else the form,
    with why the services refused it."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save()
        except ValidationError as exc:
            form.add_error(None, exc)
        except Refused as refusal:
            show_refusal(request, refusal, form=form)
        else:
            for warning in getattr(form, "warnings", []):
                messages.warning(request, warning)
            messages.success(request, success)
            return redirect(record.get_workspace_url())
    return render(
        request,
        "research/workspace/form.html",
        {"form": form, **context},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _get_record_for_viewer(request, kind, pk)
    org_ids = selectors.research_organisation_ids(request.user)
    reviewer = selectors.is_reviewer(request.user)
    if not reviewer and record.organisation_id not in org_ids:
        # Others' approved records are public: send them to the public page.
        if isinstance(record, Report):
            return redirect(record)
        raise Http404
    context = {
        "record": record,
        "kind": kind,
        "fields": selectors.display_fields(
            record, personal=selectors.can_see_personal_data(request.user, record, org_ids)
        ),
        "history": selectors.record_history(record),
        "can_edit": selectors.can_edit(request.user, record, org_ids),
        "can_submit": record.organisation_id in org_ids and record.status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        "review_form": forms.ReviewForm() if reviewer and record.status == Status.SUBMITTED else None,
        "reviewers": User.objects.filter(is_active=True, is_staff=True).order_by("full_name") if reviewer else [],
        "attachment_form": forms.AttachmentForm() if kind == "report" else None,
        "attachments": list(record.attachments.all()) if isinstance(record, Report) else [],
        "import_job": getattr(record, "import_job", None),
    }
    return render(request, "research/workspace/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _get_rw_record_for_user(request, kind, pk)
    org_ids = selectors.research_organisation_ids(request.user)
    form_class = forms.FORMS[kind]
    form = form_class(
        request.POST or None, request.FILES or None, instance=record, **_form_kwargs(request, kind, org_ids)
    )
    if not selectors.can_see_personal_data(request.user, record, org_ids):
        for name in getattr(record, "PERSONAL_FIELDS", ()):
            form.fields.pop(name, None)

    def save() -> Reviewable:
        return services.record_update(
            record=record, by=_user(request), data=form.record_data(), extras=form.record_extras()
        )

    context = {"kind": kind, "model": type(record), "record": record, "organisations": []}
    return _record_form(request, form, save, _("Changes saved."), context)


@login_required
@require_POST
def record_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _get_record_for_viewer(request, kind, pk)
    if record.organisation_id not in selectors.research_organisation_ids(request.user):
        raise PermissionDenied
    try:
        services.record_submit(record=record, by=_user(request))
        messages.success(request, _("Submitted for review."))
    except Refused as refusal:
        show_refusal(request, refusal)
    return redirect(record.get_workspace_url())


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_rw_record_for_user(request, "report", pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                report=cast(Report, report), upload=form.cleaned_data["attachment"], by=_user(request)
            )
            messages.success(request, _("Attachment added."))
        except Refused as refusal:
            show_refusal(request, refusal)
    return redirect(report.get_workspace_url())


# --- reviewers ---------------------------------------------------------------------------------


@permission_required("research.review_record")
def review_inbox(request: HttpRequest) -> HttpResponse:
    form = forms.InboxFilterForm(request.GET or None)
    kind, state, mine, unassigned = "casualty", "", False, False
    if form.is_valid():
        kind = form.cleaned_data["kind"] or "casualty"
        state = form.cleaned_data["state"].pk if form.cleaned_data["state"] else ""
        mine, unassigned = form.cleaned_data["mine"], form.cleaned_data["unassigned"]
    records = selectors.review_inbox(
        kind=kind, state=state, assigned_to=_user(request) if mine else None, unassigned=unassigned
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "research/review/inbox.html",
        {
            "form": form,
            "page": page,
            "kind": kind,
            "counts": selectors.inbox_counts(),
            "query_string": request.GET.urlencode(),
        },
    )


@permission_required("research.review_record")
@require_POST
def review_bulk_approve(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "casualty")
    model = _kind(kind)
    # Ticked boxes hold row ids; anything else (²'s isdigit() is true, int() refuses it) names no record.
    ids = [int(pk) for pk in request.POST.getlist("records") if pk.isdecimal() and len(pk) <= 18]
    approved = services.records_bulk_approve(records=model._default_manager.filter(pk__in=ids), by=_user(request))
    messages.success(request, _("%(count)s record(s) approved.") % {"count": approved})
    return redirect(f"{reverse('research:inbox')}?kind={kind}")


@permission_required("research.review_record")
@require_POST
def review_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = get_object_or_404(_kind(kind), pk=pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_review(
                record=record,
                by=_user(request),
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Decision recorded."))
            return redirect(f"{reverse('research:inbox')}?kind={kind}")
        except Refused as refusal:
            show_refusal(request, refusal)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(record.get_workspace_url())


@permission_required("research.review_record")
@require_POST
def review_assign(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = get_object_or_404(_kind(kind), pk=pk)
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
        return redirect(record.get_workspace_url())
    services.record_assign(record=record, by=_user(request), reviewer=form.cleaned_data["reviewer"])
    messages.success(request, _("Assignment saved."))
    return redirect(record.get_workspace_url())


# --- imports from the staff pages --------------------------------------------------------------


@permission_required("research.import_records")
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_start(
            upload=form.cleaned_data["file"],
            apply=form.cleaned_data["apply"],
            approve=form.cleaned_data["approve"],
            by=_user(request),
        )
        return redirect("research:import-job", pk=job.pk)
    return render(
        request,
        "research/staff/import.html",
        {"form": form, "columns": spec.COLUMNS, "jobs": selectors.import_jobs()},
    )


@permission_required("research.import_records")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    done = jobs.job_progress(job)
    percent = round(100 * done / job.rows_total) if job.rows_total else 0
    return render(request, "research/staff/import_job.html", {"job": job, "done": done, "percent": min(percent, 100)})
