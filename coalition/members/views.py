"""Pages of the registry: the public directory, joining, signing up, editors' and staff's tools."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_countries import countries

from coalition.core.audit import Actor, acting_user
from coalition.lib import maps
from coalition.lib.csv_export import csv_response
from coalition.lib.downloads import set_attachment
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.lib.imports import ImportRejected
from coalition.lib.page_cache import public_page
from coalition.lib.permissions import permission_required
from coalition.lib.ratelimit import request_is_limited
from coalition.members import forms, importing, selectors, services
from coalition.members.models import MembershipApplication, Organisation, Supporter
from coalition.members.storage import LOGO_CONTENT_TYPES, LOGO_DIR, logo_storage

PAGE_SIZE = 24
STAFF_PAGE_SIZE = 50


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- public ------------------------------------------------------------------------------------


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    by_country = selectors.members_by_country()
    form = forms.DirectoryFilterForm(request.GET or None, country_codes=[code for code, _n in by_country])
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    page = Paginator(selectors.directory_search(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page": page,
            "query_string": _query_string(request),
            "filtered": bool(filters),
            "members_map": _members_map(by_country),
            "countries_count": len(by_country),
        },
    )


def _members_map(by_country: list[tuple[str, int]]) -> maps.WorldMap:
    """One circle per country with members, linking to the directory filtered by that country."""
    return maps.WorldMap(
        key="members",
        title=_("Map of member organisations by country; the list below gives the same figures."),
        markers=maps.markers_by_country(
            by_country,
            names=dict(countries),
            label=lambda name, n: (
                ngettext("%(country)s: %(count)s member", "%(country)s: %(count)s members", n)
                % {"country": name, "count": n}
            ),
            href=lambda code: f"?country={code}",
        ),
        list_label=_("Members by country"),
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_public_get(slug)
    if organisation is None:
        raise Http404
    can_edit = request.user.is_authenticated and _may_edit(request, organisation)
    return render(request, "members/detail.html", {"organisation": organisation, "can_edit": can_edit})


@require_http_methods(["GET", "HEAD"])
def logo(request: HttpRequest, name: str) -> FileResponse:
    """An organisation's logo: public while the organisation is; its editors and staff always see it."""
    organisation = selectors.organisation_by_logo(LOGO_DIR + name)
    if organisation is None or not (organisation.is_public or _may_edit(request, organisation)):
        raise Http404
    content_type = LOGO_CONTENT_TYPES.get(Path(name).suffix.lower())
    try:
        stored = logo_storage.open(LOGO_DIR + name)
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    if content_type is None:
        stored.close()
        raise Http404
    response = FileResponse(stored, content_type=content_type)
    # Never sniffed as anything but a picture, and opened on its own it can run nothing.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    # A new upload gets a new name, so a day's caching never shows an old logo for long.
    response["Cache-Control"] = "public, max-age=86400" if organisation.is_public else "private, no-store"
    return response


Screened = Literal["bot", "limited", "valid", "invalid"]


def _screen_public_post(
    request: HttpRequest,
    form: HoneypotFormMixin,
    *,
    scope: str,
    key_field: str,
    per_key: str,
    per_ip: str,
    limited_message: str,
) -> Screened:
    """The checks every public form's POST goes through, in this order: a bot (the honeypot) is answered
    like a person before it can use up anyone's limit; over the limit the form is shown with its errors and
    `limited_message`, and nothing is stored; only then does the form's own validation count."""
    if form.caught_bot():
        return "bot"
    if request_is_limited(request, scope, request.POST.get(key_field, ""), per_key=per_key, per_ip=per_ip):
        form.is_valid()  # so the field errors show as well
        form.add_error(None, limited_message)
        return "limited"
    return "valid" if form.is_valid() else "invalid"


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = forms.ApplicationForm(request.POST or None)
    screened: Screened | None = None
    if request.method == "POST":
        screened = _screen_public_post(
            request,
            form,
            scope="members-apply",
            key_field="contact_email",
            per_key=settings.MEMBERS_APPLICATION_RATE_PER_EMAIL,
            per_ip=settings.MEMBERS_APPLICATION_RATE_PER_IP,
            limited_message=_("Too many applications from this address. Please try again tomorrow."),
        )
        if screened == "valid":
            data = form.cleaned_data
            services.application_submit(
                name=data["name"],
                type=data["type"],
                country=data["country"],
                city=data["city"],
                website=data["website"],
                description=data["description"],
                languages=data["languages"],
                public_email=data["public_email"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                motivation=data["motivation"],
                language=get_language() or "",
            )
        if screened in {"bot", "valid"}:
            return redirect("members:join-thanks")
    return render(request, "members/join.html", {"form": form}, status=429 if screened == "limited" else 200)


def join_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "members/join_thanks.html")


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = forms.SupporterSignUpForm(request.POST or None)
    screened: Screened | None = None
    if request.method == "POST":
        screened = _screen_public_post(
            request,
            form,
            scope="members-sign-up",
            key_field="email",
            per_key=settings.MEMBERS_SIGNUP_RATE_PER_EMAIL,
            per_ip=settings.MEMBERS_SIGNUP_RATE_PER_IP,
            limited_message=_("Too many sign-ups from this address. Please try again in an hour."),
        )
        if screened == "valid":
            data = form.cleaned_data
            services.supporter_sign_up(
                name=data["name"],
                email=data["email"],
                country=data["country"],
                languages=data["languages"],
                interests=data["interests"],
                consents=form.consents(),
                source="members:sign-up",
                language=get_language() or "",
                referred_by=selectors.referral_organisation(request),
            )
        if screened in {"bot", "valid"}:
            return redirect("members:sign-up-thanks")
    return render(request, "members/sign_up.html", {"form": form}, status=429 if screened == "limited" else 200)


def sign_up_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "members/sign_up_thanks.html", {"days": settings.MEMBERS_CONFIRM_DAYS})


@require_http_methods(["GET", "POST"])
def sign_up_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms, so mail scanners that open links confirm nothing."""
    if request.method == "POST":
        supporter = services.supporter_confirm(token=token)
        if supporter is None:
            return render(request, "members/confirm_invalid.html", status=400)
        share = {
            "share_url": settings.SITE_URL + reverse("home"),
            "share_text": _("Join the campaign to ban cluster munitions"),
        }
        return render(request, "members/confirmed.html", {"supporter": supporter, **share})
    return render(request, "members/confirm.html", {"token": token})


@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    form = forms.DataLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limited = request_is_limited(
            request,
            "members-data-link",
            email,
            per_key=settings.MEMBERS_SIGNUP_RATE_PER_EMAIL,
            per_ip=settings.MEMBERS_SIGNUP_RATE_PER_IP,
        )
        if not limited:
            services.supporter_send_data_link(email=email, language=get_language() or "")
        # The same answer whether or not the address is known (or limited): it reveals nothing.
        return render(request, "members/my_data_sent.html")
    return render(request, "members/my_data.html", {"form": form})


@require_http_methods(["GET", "POST"])
def my_data_manage(request: HttpRequest, token: str) -> HttpResponse:
    """A person's data, a supporter's or a guest's who only replied to an event: see, download, erase."""
    subject = services.data_subject_from_token(token)
    if subject is None:
        return render(request, "members/confirm_invalid.html", status=400)
    if request.method == "GET" and request.GET.get("format") == "json":
        download = JsonResponse(selectors.personal_data_export(subject), json_dumps_params={"indent": 2})
        set_attachment(download, "my-data.json")
        download["Cache-Control"] = "no-store"
        return download
    form = forms.EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.personal_data_erase(subject=subject, by=Actor.SUBJECT)
        return render(request, "members/erased.html")
    supporter = subject.supporter
    response = render(
        request,
        "members/my_data_manage.html",
        {
            "supporter": supporter,
            "data": selectors.personal_data_export(subject),
            "data_templates": selectors.supporter_data_templates(),
            "consents": selectors.supporter_current_consents(supporter) if supporter else {},
            "form": form,
            "token": token,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# --- editors -----------------------------------------------------------------------------------


def _may_edit(request: HttpRequest, organisation: Organisation) -> bool:
    user = request.user
    if user.has_perm("members.change_organisation"):
        return True
    return organisation.editors.filter(pk=user.pk).exists()


def _get_organisation_for_editor(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, if this user edits it (its editors, or staff allowed to change any); else 403."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not _may_edit(request, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get_organisation_for_editor(request, slug)
    form = forms.OrganisationProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        services.organisation_update_profile(organisation=organisation, data=data, by=acting_user(request))
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
        services.organisation_set_status(
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
                    services.application_approve(
                        application=application,
                        by=acting_user(request),
                        message=form.cleaned_data["message"],
                        confirm_existing=bool(form.cleaned_data.get("confirm_existing")),
                    )
                else:
                    services.application_reject(
                        application=application,
                        by=acting_user(request),
                        message=form.cleaned_data["message"],
                    )
            except services.NotPending:
                messages.error(request, _("This application was already decided."))
            except services.NeedsConfirmation:
                # The organisation came on record since the page was shown: show it again, with the box.
                messages.error(request, forms.NEEDS_CONFIRMATION_MESSAGE)
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


def _csv_response(filename: str, header: list[str], rows: Iterable[list[Any]]) -> StreamingHttpResponse:
    """Stream rows as CSV, so 100,000 supporters never sit in memory at once."""
    return csv_response(rows, header=header, filename=filename, bom=True)


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


@permission_required("members.view_organisation")  # type: ignore[arg-type]  # streams CSV
def staff_organisations(request: HttpRequest) -> HttpResponseBase:
    form = forms.StaffOrganisationFilterForm(request.GET or None)
    organisations = selectors.organisations_for_staff(**_filtered(form))
    if request.GET.get("format") == "csv":
        return _csv_response(
            f"organisations-{timezone.localdate().isoformat()}.csv",
            [
                "slug",
                "name",
                "type",
                "country",
                "city",
                "website",
                "status",
                "joined_on",
                "founding_member",
                "steering_committee",
                "contact_email",
            ],
            (
                [
                    o.slug,
                    o.name,
                    o.type,
                    str(o.country),
                    o.city,
                    o.website,
                    o.status,
                    o.joined_on.isoformat() if o.joined_on else "",
                    o.founding_member,
                    o.on_committee,  # type: ignore[attr-defined]  # annotated by the selector
                    o.contact_email,
                ]
                for o in organisations.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(organisations, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/staff/organisations.html",
        {"form": form, "page": page, "query_string": _query_string(request)},
    )


@permission_required("members.view_supporter")  # type: ignore[arg-type]  # streams CSV
def staff_supporters(request: HttpRequest) -> HttpResponseBase:
    form = forms.StaffSupporterFilterForm(request.GET or None)
    supporters: QuerySet[Supporter] = selectors.supporters_for_staff(**_filtered(form))
    if request.GET.get("format") == "csv":
        return _csv_response(
            f"supporters-{timezone.localdate().isoformat()}.csv",
            [
                "name",
                "email",
                "country",
                "languages",
                "interests",
                "status",
                "referred_by",
                "signed_up_at",
                "confirmed_at",
            ],
            (
                [
                    s.name,
                    s.email or "",
                    str(s.country),
                    ";".join(s.languages),
                    ";".join(s.interests),
                    s.status,
                    s.referred_by.slug if s.referred_by else "",
                    s.created_at.isoformat(),
                    s.confirmed_at.isoformat() if s.confirmed_at else "",
                ]
                for s in supporters.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(supporters, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.supporters_with_notes(page.object_list)
    return render(
        request,
        "members/staff/supporters.html",
        {"form": form, "page": page, "query_string": _query_string(request)},
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
