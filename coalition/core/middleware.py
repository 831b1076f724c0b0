"""Requests no page can answer, refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from importlib import import_module
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from django.utils import translation
from django.utils.translation import gettext as _


class RejectNulCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL character.

    PostgreSQL cannot store or compare text with NUL in it: a `?search=%00` would reach the database
    and fail with a server error. Forms already refuse NUL; this covers URL parts and API filters.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query):
            if request.path.startswith("/api/"):  # the API answers every error in JSON, as its schema says
                return JsonResponse(
                    {"detail": _("The address holds a character that is not allowed (NUL).")}, status=400
                )
            return HttpResponseBadRequest(
                _("The address holds a character that is not allowed (NUL)."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The language of a request: from the address for pages (`/fr/…`, English without a prefix, decision 0017);
    for the addresses that keep one form in every language (the API, the admin, the outbox: the ROOT_URLCONF's
    `unprefixed_urlpatterns`), from the request as before, the language cookie and then Accept-Language, so an
    API client asking in French gets its refusals in French."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if _is_unprefixed(settings.ROOT_URLCONF, request.path_info):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()


@cache
def _unprefixed_resolver(urlconf: str) -> URLResolver:
    patterns = import_module(urlconf).unprefixed_urlpatterns
    return URLResolver(RegexPattern(r"^/"), patterns)


@lru_cache(maxsize=2048)  # every request asks; bounded, since paths are the visitor's to choose
def _is_unprefixed(urlconf: str, path: str) -> bool:
    try:
        _unprefixed_resolver(urlconf).resolve(path)
    except Resolver404:
        return False
    return True
