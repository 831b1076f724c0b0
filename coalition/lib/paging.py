"""Paged lists: the links to other pages keep the list's filters."""

from __future__ import annotations

from django.http import HttpRequest


def query_string_without_page(request: HttpRequest) -> str:
    """The request's filters (its query string without the page number), for the pager's links to add a page to."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
