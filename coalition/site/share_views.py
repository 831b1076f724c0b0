"""Share cards for links to the campaign, an action and a state, in the page's language, kept in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coalition.letters import selectors as letters_selectors
from coalition.site.cards import card_png
from coalition.states.models import State

# A card changes with its counters; a day-old progress bar is fine, and a change of counts or status makes a new key.
CARD_CACHE_SECONDS = 24 * 3600


def _card_response(key: str, draw: object) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Titles hold spaces and any script; a digest keeps the key valid for every cache backend.
    cache_key = "share-card:" + hashlib.sha256(f"{language}:{key}".encode()).hexdigest()
    png = cache.get(cache_key)
    if png is None:
        png = draw()  # type: ignore[operator]
        cache.set(cache_key, png, CARD_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _right_to_left() -> bool:
    return translation.get_language_bidi()


@require_safe
def campaign_card(request: HttpRequest) -> HttpResponse:
    def draw() -> bytes:
        return card_png(
            kicker=str(settings.TREATY_NAME),
            title=str(settings.COALITION_NAME),
            detail=_("Working for a world free of cluster munitions."),
            right_to_left=_right_to_left(),
        )

    return _card_response(f"campaign:{settings.COALITION_NAME}", draw)


@require_safe
def action_card(request: HttpRequest, slug: str) -> HttpResponse:
    action = letters_selectors.action_public_get(slug)
    if action is None:
        raise Http404

    def draw() -> bytes:
        return card_png(
            kicker=str(settings.COALITION_NAME),
            title=action.title,
            detail=_("%(confirmed)s letters of a goal of %(goal)s")
            % {"confirmed": f"{action.confirmed_count:,}", "goal": f"{action.goal:,}"},
            progress=action.progress_percent / 100,
            right_to_left=_right_to_left(),
        )

    return _card_response(f"action:{action.pk}:{action.title}:{action.confirmed_count}:{action.goal}", draw)


@require_safe
def state_card(request: HttpRequest, iso3: str) -> HttpResponse:
    state = State.objects.filter(iso3=iso3.upper()).first()
    if state is None:
        raise Http404

    def draw() -> bytes:
        return card_png(
            kicker=str(settings.TREATY_NAME),
            title=state.display_name,
            detail=str(state.get_status_display()),
            right_to_left=_right_to_left(),
        )

    return _card_response(f"state:{state.iso3}:{state.status}:{state.name}", draw)
