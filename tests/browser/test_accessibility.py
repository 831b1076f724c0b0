"""axe-core on every public page, at a desktop (1280 px) and a phone (390 px) width: no serious or critical
violation. One browser tab for the whole walk keeps the time bounded; each page is checked at both widths, and the
languages take turns (English, French, Spanish, Arabic right to left) so every page and language is covered."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.permission_matrix.routes import path_for
from tests.test_public_pages import KNOWN_LEAKS, public_html_pages

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}
# Swagger UI's own page (drf-spectacular's), not the site's layout: its markup is the upstream project's.
NOT_OURS = {"/api/docs/"}


def _in_language(path: str, language: str) -> str:
    """The path in another language when it has one (its English form has no prefix)."""
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    if path.startswith(prefixes):
        return path
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def _english_pages(client, objects) -> list[str]:
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    return [path for path in public_html_pages(client, objects) if not path.startswith(prefixes)]


def test_no_public_page_has_a_serious_or_critical_accessibility_violation(browser, live_server, client, world):  # noqa: F811
    pages = [
        path
        for path in _english_pages(client, world.objects)
        if path not in NOT_OURS and client.get(path)["Content-Type"].startswith("text/html")
    ]
    # Pages that still show template code (fixed elsewhere) must be accessible meanwhile.
    pages += [path_for(route, world.objects) for route in sorted(KNOWN_LEAKS)]
    assert len(pages) > 15

    axe = Axe()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    languages = [code for code, _name in settings.LANGUAGES]
    problems = []
    try:
        for index, path in enumerate(pages):
            for turn, (width_name, viewport) in enumerate(WIDTHS.items()):
                language = languages[(2 * index + turn) % len(languages)]
                address = _in_language(path, language)
                tab.set_viewport_size(viewport)
                tab.goto(address)
                results = axe.run(tab, options={"resultTypes": ["violations"]})
                for violation in results.response["violations"]:
                    if violation["impact"] in BLOCKING:
                        targets = [node["target"] for node in violation["nodes"][:3]]
                        problems.append(
                            f"{address} ({width_name}): {violation['id']} [{violation['impact']}] {targets}"
                        )
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
