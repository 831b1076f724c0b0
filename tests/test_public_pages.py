"""Every page a visitor can open, in every language: no template code shown, and the sharing metadata is there."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.permission_matrix.routes import ROLES, expected, path_for, routes, translated_routes

ANON = ROLES.index("anon")
# Routes known to show template code while being fixed elsewhere (none since the letter box holds the body only,
# issue 16). Strict: once a page is fixed this test fails until its route is removed here, so the list cannot hide
# a new leak.
KNOWN_LEAKS: set[str] = set()


def public_html_pages(client, objects) -> list[str]:
    """The paths, in all four languages where a page has them, that answer an HTML page to a visitor."""
    translated = translated_routes()
    paths = []
    for route, _view in routes():
        if route in KNOWN_LEAKS:
            continue
        if expected(route)[ANON] != "200":
            continue
        path = path_for(route, objects)
        prefixes = [""] + [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        paths += [prefix + path for prefix in (prefixes if route in translated else [""])]
    return paths


@pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning")
def test_no_public_page_shows_template_code_in_any_language(client, world):  # noqa: F811
    seen = 0
    leaks = []
    for path in public_html_pages(client, world.objects):
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            continue
        seen += 1
        html = response.content.decode()
        for code in ("{{", "{%", "{#"):
            if code in html:
                at = html.index(code)
                leaks.append(f"{path}: …{html[max(0, at - 60) : at + 60]}…")
    assert seen > 60, "the public pages were walked in four languages"
    assert leaks == []


def test_the_known_leaks_still_leak(client, world):  # noqa: F811
    """Remove a route from KNOWN_LEAKS when this fails: its page no longer shows template code."""
    for route in KNOWN_LEAKS:
        assert "{{" in client.get(path_for(route, world.objects)).content.decode(), f"{route} is fixed"
