"""The registry's public pages: the directory, an organisation's page and logo, joining, signing up, and a
supporter's (or guest's) own data. Editors' and staff's tools are in `staff_views`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_countries import countries

from coalition.core.audit import Actor
from coalition.lib import maps
from coalition.lib.downloads import set_attachment
from coalition.lib.forms import fields_of
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.lib.page_cache import public_page
from coalition.lib.paging import query_string_without_page
from coalition.lib.public_forms import PostLimit, Screened, screen_public_post
from coalition.members import forms, selectors
from coalition.members.applications import application_submit
from coalition.members.storage import LOGO_CONTENT_TYPES, LOGO_DIR, logo_storage
from coalition.members.supporters import (
    data_subject_from_token,
    personal_data_erase,
    supporter_confirm,
    supporter_send_data_link,
    supporter_sign_up,
)

PAGE_SIZE = 24

# How often one address may post each public form (`coalition.lib.public_forms`).
JOIN_LIMIT = PostLimit(
    "members-apply",
    "MEMBERS_APPLICATION_RATE_PER_EMAIL",
    "MEMBERS_APPLICATION_RATE_PER_IP",
    key_field="contact_email",
    message=gettext_lazy("Too many applications from this address. Please try again tomorrow."),
)
SIGN_UP_LIMIT = PostLimit(
    "members-sign-up",
    "MEMBERS_SIGNUP_RATE_PER_EMAIL",
    "MEMBERS_SIGNUP_RATE_PER_IP",
    message=gettext_lazy("Too many sign-ups from this address. Please try again in an hour."),
)
DATA_LINK_LIMIT = PostLimit("members-data-link", "MEMBERS_SIGNUP_RATE_PER_EMAIL", "MEMBERS_SIGNUP_RATE_PER_IP")

# The application form's fields, in its order, as `application_submit` takes them.
APPLICATION_FIELDS = (
    "name",
    "type",
    "country",
    "city",
    "website",
    "languages",
    "description",
    "public_email",
    "contact_name",
    "contact_email",
    "motivation",
)


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
            "query_string": query_string_without_page(request),
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
    can_edit = request.user.is_authenticated and selectors.organisation_editable(request, organisation)
    return render(request, "members/detail.html", {"organisation": organisation, "can_edit": can_edit})


@require_http_methods(["GET", "HEAD"])
def logo(request: HttpRequest, name: str) -> FileResponse:
    """An organisation's logo: public while the organisation is; its editors and staff always see it."""
    organisation = selectors.organisation_by_logo(LOGO_DIR + name)
    if organisation is None or not (organisation.is_public or selectors.organisation_editable(request, organisation)):
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


def _public_form(
    request: HttpRequest,
    form: HoneypotFormMixin,
    limit: PostLimit,
    submit: Callable[[dict[str, Any]], object],
    template: str,
    thanks: str,
) -> HttpResponse:
    """A public form's page (`template`): its POST is screened (`coalition.lib.public_forms`, with `limit`); a
    bot is thanked like a person, a valid form is `submit`ted and thanked (the view `thanks`), and over the limit
    the form shows again."""
    screened: Screened | None = None
    if request.method == "POST":
        screened = screen_public_post(request, form, limit)
        if screened == "valid":
            submit(form.cleaned_data)
        if screened in {"bot", "valid"}:
            return redirect(thanks)
    return render(request, template, {"form": form}, status=429 if screened == "limited" else 200)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = forms.ApplicationForm(request.POST or None)

    def submit(data: dict[str, Any]) -> None:
        application_submit(**fields_of(data, *APPLICATION_FIELDS), language=get_language() or "")

    return _public_form(request, form, JOIN_LIMIT, submit, "members/join.html", "members:join-thanks")


def join_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "members/join_thanks.html")


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = forms.SupporterSignUpForm(request.POST or None)

    def submit(data: dict[str, Any]) -> None:
        supporter_sign_up(
            **fields_of(data, "name", "email", "country", "languages", "interests"),
            consents=form.consents(),
            source="members:sign-up",
            language=get_language() or "",
            referred_by=selectors.referral_organisation(request),
        )

    return _public_form(request, form, SIGN_UP_LIMIT, submit, "members/sign_up.html", "members:sign-up-thanks")


def sign_up_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "members/sign_up_thanks.html", {"days": settings.MEMBERS_CONFIRM_DAYS})


@require_http_methods(["GET", "POST"])
def sign_up_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms, so mail scanners that open links confirm nothing."""
    if request.method == "POST":
        supporter = supporter_confirm(token=token)
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
        if not DATA_LINK_LIMIT.reached(request, email):
            supporter_send_data_link(email=email, language=get_language() or "")
        # The same answer whether or not the address is known (or limited): it reveals nothing.
        return render(request, "members/my_data_sent.html")
    return render(request, "members/my_data.html", {"form": form})


@require_http_methods(["GET", "POST"])
def my_data_manage(request: HttpRequest, token: str) -> HttpResponse:
    """A person's data, a supporter's or a guest's who only replied to an event: see, download, erase."""
    subject = data_subject_from_token(token)
    if subject is None:
        return render(request, "members/confirm_invalid.html", status=400)
    if request.method == "GET" and request.GET.get("format") == "json":
        download = JsonResponse(selectors.personal_data_export(subject), json_dumps_params={"indent": 2})
        set_attachment(download, "my-data.json")
        download["Cache-Control"] = "no-store"
        return download
    form = forms.EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        personal_data_erase(subject=subject, by=Actor.SUBJECT)
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
