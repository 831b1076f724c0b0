"""Referral credit: a visit with `?ref=<organisation-slug>` is remembered in a cookie for a while."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

REFERRAL_COOKIE = "coalition_ref"


class ReferralMiddleware:
    """Remembers the last `?ref=` seen (last click wins), without touching the database: the slug is only
    looked up when something is credited (see selectors.referral_organisation)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ref = slugify(request.GET.get("ref", ""))[:80]
        if ref:
            request.COOKIES[REFERRAL_COOKIE] = ref  # the request that carries the link is credited too
        response = self.get_response(request)
        if ref:
            response.set_cookie(
                REFERRAL_COOKIE,
                ref,
                max_age=settings.MEMBERS_REFERRAL_DAYS * 86400,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
            )
        return response
