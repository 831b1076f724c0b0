"""The project's URLs plus the baselines every benchmark compares against."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from bench.letter_floor import letter_floor
from coalition.urls import unprefixed_urlpatterns as project_unprefixed_urlpatterns
from coalition.urls import urlpatterns as project_urlpatterns


def bare_ok(request: HttpRequest) -> HttpResponse:
    """The floor: a Django view that does nothing, through the same server and middleware."""
    return HttpResponse("ok", content_type="text/plain")


def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


# The baselines keep one address in every language, like the API (coalition.core.middleware.LocaleMiddleware).
unprefixed_urlpatterns = [
    path("bench/ok", bare_ok),
    path("bench/ok.json", bare_json),
    path("bench/letter-floor", letter_floor),
    *project_unprefixed_urlpatterns,
]
urlpatterns = [*unprefixed_urlpatterns[:3], *project_urlpatterns]
