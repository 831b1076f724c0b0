from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coalition.core.audit import acting_user
from coalition.lib.downloads import set_attachment
from coalition.lib.page_cache import public_page
from coalition.lib.permissions import permission_required
from coalition.states import brief as briefs
from coalition.states import sections, selectors, services
from coalition.states.brief_pdf import brief_pdf
from coalition.states.forms import NationalMeasureForm, ObligationFilterForm, StateFilterForm
from coalition.states.models import NationalMeasure


@public_page
def state_list(request: HttpRequest) -> HttpResponse:
    form = StateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = selectors.state_list(
        status=filters.get("status", ""), region=filters.get("region", ""), fact=filters.get("fact", "")
    )
    return render(request, "states/list.html", {"form": form, "listing": listing, "filtered": any(filters.values())})


@public_page
def obligation_list(request: HttpRequest) -> HttpResponse:
    form = ObligationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    table = selectors.obligation_table(
        status=filters.get("status", ""),
        article=filters.get("article", ""),
        due_this_year=filters.get("due") == "this_year",
    )
    context = {"form": form, "table": table, "filtered": any(filters.values())}
    return render(request, "states/obligations.html", context)


@public_page
def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    if iso3 != iso3.upper():
        return redirect("states:detail", iso3=iso3.upper(), permanent=True)
    profile = selectors.state_profile(iso3)
    # What other apps show of the state (research figures; the coalition's engagement, for coalition users only).
    shown = sections.page_sections(profile.state, request.user)
    context = {"profile": profile, "state": profile.state, "page_sections": shown}
    for section in shown:
        context.update(section.context)
    return render(request, "states/detail.html", context)


def _brief_response_private(response: HttpResponse, brief: briefs.Brief) -> HttpResponse:
    # A brief with restricted sections is never stored by a shared cache nor kept by the browser.
    if brief.restricted is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def state_brief(request: HttpRequest, iso3: str) -> HttpResponse:
    if iso3 != iso3.upper():
        return redirect("states:brief", iso3=iso3.upper(), permanent=True)
    brief = briefs.state_brief(iso3=iso3, user=request.user)
    response = render(request, "states/brief.html", {"brief": brief, "state": brief.state})
    return _brief_response_private(response, brief)


def state_brief_pdf(request: HttpRequest, iso3: str) -> HttpResponse:
    brief = briefs.state_brief(iso3=iso3, user=request.user)
    response = HttpResponse(brief_pdf(brief), content_type="application/pdf")
    set_attachment(response, f"brief-{brief.state.iso3}.pdf", as_attachment=False)
    return _brief_response_private(response, brief)


@permission_required("states.add_nationalmeasure")
def measure_create(request: HttpRequest, iso3: str) -> HttpResponse:
    state = selectors.state_by_iso3(iso3)
    form = NationalMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.measure_create(state=state, by=acting_user(request), **form.cleaned_data)
        messages.success(request, _("The measure was added."))
        return redirect(state)
    return render(request, "states/measure_form.html", {"form": form, "state": state, "measure": None})


@permission_required("states.change_nationalmeasure")
def measure_update(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(NationalMeasure.objects.select_related("state"), pk=pk)
    # The form edits its own copy, so `measure` keeps the values before the change for the history.
    form = NationalMeasureForm(request.POST or None, instance=NationalMeasure.objects.get(pk=measure.pk))
    if request.method == "POST" and form.is_valid():
        services.measure_update(measure=measure, by=acting_user(request), **form.cleaned_data)
        messages.success(request, _("The measure was saved; the change is in its history."))
        return redirect(measure.state)
    history = selectors.measure_history(measure)
    return render(
        request,
        "states/measure_form.html",
        {"form": form, "state": measure.state, "measure": measure, "history": history},
    )


@public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "states/meeting_list.html",
        {"meetings": selectors.meeting_list(), "as_of": selectors.reference_as_of()},
    )


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "states/meeting_detail.html", {"meeting": selectors.meeting_detail(slug)})
