"""Requests no page can answer, refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
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
