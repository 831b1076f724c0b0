"""The site's own error page for a server error, in the visitor's language and the site's layout."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# Shown when even the layout cannot be drawn (the database is down and the navigation needs it).
PLAIN_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Server error</title></head>'
    "<body><main><h1>Server error</h1><p>Please try again in a few minutes.</p></main></body></html>"
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's default renders 500.html without the request: no language, no layout. This one has both."""
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:  # the error may be the database or a template: never fail while reporting a failure
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(PLAIN_500)
