"""axe-core on every public page in every language (English, French, Spanish, Arabic right to left), at a
desktop's (1280 px) and a phone's (390 px) width: no serious or critical violation.

The walk is kept fast: one browser tab for all of it; axe-core is given to the tab once (an init script, not
sent again with each check); each page is loaded once per language and checked at one width, then resized to
the other and checked again (the layout follows the width through CSS, not through a reload); and only the
blocking violations come back from the browser."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings

from tests.permission_matrix.routes import path_for
from tests.test_public_pages import KNOWN_LEAKS, public_html_pages

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# Swagger UI's own page (drf-spectacular's), not the site's layout: its markup is the upstream project's.
NOT_OURS = {"/api/docs/"}
CHECK = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return {
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        problems: results.violations
            .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
            .map((violation) => `${violation.id} [${violation.impact}] ${JSON.stringify(
                violation.nodes.slice(0, 3).map((node) => node.target))}`),
    };
}"""


def _pages(client, objects) -> list[str]:
    """Every public HTML page in each language it has: English unprefixed, the others under /fr/, /es/, /ar/."""
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    every = public_html_pages(client, objects)
    # Pages that still show template code (fixed elsewhere) must be accessible meanwhile.
    every += [
        language + path_for(route, objects) for route in sorted(KNOWN_LEAKS) for language in ("", "/fr", "/es", "/ar")
    ]
    english = {path for path in every if not path.startswith(prefixes) and path not in NOT_OURS}
    html = {path for path in english if client.get(path)["Content-Type"].startswith("text/html")}
    return [path for path in every if path in html or (path.startswith(prefixes) and path[3:] in html)]


def _language_of(path: str) -> str:
    first = path.split("/")[1]
    return first if first in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_no_public_page_has_a_serious_or_critical_accessibility_violation_in_any_language(
    language,
    browser,
    live_server,
    client,
    world,  # noqa: F811
):
    # One test per language, so that the walk (minutes in all) is shared out between the test processes.
    every = _pages(client, world.objects)
    assert {_language_of(path) for path in every} == {code for code, _name in settings.LANGUAGES}
    pages = [path for path in every if _language_of(path) == language]
    assert len(pages) > 15

    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.add_init_script(path=str(AXE_SCRIPT))
    context.set_default_timeout(15_000)
    tab = context.new_page()
    widths = list(WIDTHS.items())
    problems = []
    try:
        for index, address in enumerate(pages):
            # Alternate which width comes first, so no resize is needed between two pages.
            for width_name, viewport in widths[index % 2 :] + widths[: index % 2]:
                tab.set_viewport_size(viewport)
                if width_name == widths[index % 2][0]:
                    tab.goto(address)
                found = tab.evaluate(CHECK)
                if found["lang"] != language or found["dir"] != ("rtl" if language == "ar" else "ltr"):
                    problems.append(f"{address}: <html lang={found['lang']} dir={found['dir']}>")
                problems += [f"{address} ({width_name}): {problem}" for problem in found["problems"]]
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
