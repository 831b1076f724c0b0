from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from coalition.core.audit import acting_user
from coalition.core.mail import may_read_outbox
from coalition.events import selectors as events_selectors
from coalition.lib.downloads import safe_filename, set_attachment
from coalition.lib.page_cache import public_page
from coalition.members import selectors as members_selectors
from coalition.site import pages, selectors
from coalition.site.models import PageFile
from coalition.site.work import follow_ups_due
from coalition.states import selectors as states_selectors

PREVIEW_PERMISSION = "campaign_site.view_page"


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The campaign's story from live data: what to do now, how far the treaty has come, what comes next."""
    context = {
        "live_actions": selectors.home_live_actions(),
        "members_headline": members_selectors.headline_counts(),
        "steering_committee": members_selectors.steering_committee(),
        "states_panel": states_selectors.home_panel(),
        "home_map": selectors.home_map(),
        "next_events": events_selectors.upcoming_for_home(),
        "research_figures": selectors.home_research_figures(),
        "latest_news": selectors.home_latest_news(),
    }
    return render(request, "site/home.html", context)


def _may_preview(request: HttpRequest) -> bool:
    # No query for a visitor: an anonymous user has no permission.
    return request.user.is_authenticated and request.user.has_perm(PREVIEW_PERMISSION)


@require_safe
@public_page
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A campaign page in the visitor's language, else in its original language, marked as such."""
    shown = pages.page_for_visitor(slug, include_unpublished=_may_preview(request))
    if shown is None:
        raise Http404
    return render(request, "site/page.html", {"shown": shown})


@require_safe
def page_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A page's picture (shown inline) or document (downloaded under its title), typed as its content was read."""
    item = pages.page_file(slug, pk, include_unpublished=_may_preview(request))
    if item is None or not item.content_type:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, a file can run nothing (a PDF viewer still shows it).
    response["Content-Security-Policy"] = "sandbox"
    if item.kind == PageFile.Kind.PICTURE:
        response["Cache-Control"] = "public, max-age=86400"
        return set_attachment(response, item.original_name, as_attachment=False)
    extension = PurePath(item.file.name or "").suffix
    return set_attachment(response, safe_filename(item.title, default="document") + extension)


@login_required
@require_safe
def staff_work(request: HttpRequest) -> HttpResponse:
    """Every queue the user may act on, with how many wait and where to act: the staff's first page."""
    if not selectors.may_use_staff_work(request.user):
        raise PermissionDenied
    context = {
        "blocks": selectors.staff_work(request.user),
        "follow_ups": list(follow_ups_due(acting_user(request).pk)[:10])
        if request.user.has_perm("engagement.view_followup")
        else None,
        "outbox": may_read_outbox(request.user),
    }
    return render(request, "site/staff_work.html", context)
