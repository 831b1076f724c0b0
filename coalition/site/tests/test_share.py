"""Shareable pages: the language in the address, hreflang alternates, Open Graph cards and their images."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image

from coalition.letters.tests.factories import ActionFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    cache.clear()


def meta(html: str, attribute: str, name: str) -> list[str]:
    return re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_a_french_address_is_french_and_lists_the_page_in_every_language(client):
    StateFactory(iso3="NOR", name="Norway", country="NO")

    html = client.get("/fr/states/NOR/").content.decode()

    assert '<html lang="fr" dir="ltr">' in html
    assert "<h1>Norvège</h1>" in html
    assert alternates(html) == {
        "en": f"{SITE}/states/NOR/",
        "fr": f"{SITE}/fr/states/NOR/",
        "es": f"{SITE}/es/states/NOR/",
        "ar": f"{SITE}/ar/states/NOR/",
        "x-default": f"{SITE}/states/NOR/",
    }
    assert f'<link rel="canonical" href="{SITE}/fr/states/NOR/">' in html
    assert meta(html, "property", "og:locale") == ["fr_FR"]
    assert set(meta(html, "property", "og:locale:alternate")) == {"en_GB", "es_ES", "ar_AR"}


def test_the_switcher_links_to_the_same_page_with_its_query_in_each_language(client):
    html = client.get("/ar/events/?country=LB").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    switcher = html[html.index('class="language-switcher"') :]
    assert '<a href="/events/?country=LB" lang="en" hreflang="en">English</a>' in switcher
    assert '<a href="/fr/events/?country=LB" lang="fr" hreflang="fr">' in switcher
    assert '<a href="/ar/events/?country=LB" lang="ar" hreflang="ar" aria-current="true">' in switcher


def test_an_address_without_a_prefix_still_answers_in_english_whatever_the_cookie(client):
    """Links in e-mails sent before the prefixes existed keep working; the address decides the language."""
    client.cookies["django_language"] = "fr"
    html = client.get("/states/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.parametrize("path", ["/api/v1/", "/admin/login/", "/healthz"])
def test_machine_and_staff_tool_addresses_have_no_language_prefix(client, path):
    assert client.get(path).status_code in (200, 302)
    assert client.get("/fr" + path).status_code == 404


def test_an_action_page_carries_its_open_graph_and_twitter_card(client):
    action = ActionFactory(slug="write-to-norway", title="Write to Norway", ask="Ask Norway to keep its word.")

    html = client.get("/es/act/write-to-norway/").content.decode()

    assert meta(html, "property", "og:title") == ["Write to Norway"]
    assert meta(html, "property", "og:description") == ["Ask Norway to keep its word."]
    assert meta(html, "name", "twitter:card") == ["summary_large_image"]
    assert meta(html, "property", "og:url") == [f"{SITE}/es/act/write-to-norway/"]
    assert meta(html, "property", "og:locale") == ["es_ES"]
    image = meta(html, "property", "og:image")
    assert image == [f"{SITE}/es/share/actions/{action.slug}.png"] == meta(html, "name", "twitter:image")

    response = client.get(image[0].removeprefix(SITE))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG" and picture.size == (1200, 630)


def test_a_state_card_is_drawn_once_per_language_and_status_then_served_from_the_cache(
    client, django_assert_num_queries
):
    StateFactory(iso3="LAO", name="Laos", country="LA")
    html = client.get("/ar/states/LAO/").content.decode()
    assert meta(html, "property", "og:image") == [f"{SITE}/ar/share/states/LAO.png"]

    first = client.get("/ar/share/states/LAO.png")
    with django_assert_num_queries(1):  # the state; the picture comes from the cache
        again = client.get("/ar/share/states/LAO.png")
    assert first.content == again.content
    assert client.get("/share/states/LAO.png").content != first.content, "the English card is another picture"
    assert client.get("/share/states/XXX.png").status_code == 404


def test_every_page_has_a_description_and_the_campaigns_card_by_default(client):
    html = client.get("/fr/").content.decode()
    assert meta(html, "property", "og:image") == [f"{SITE}/fr/share/campaign.png"]
    assert meta(html, "name", "description")[0].startswith("Un monde sans armes à sous-munitions")
    response = client.get("/fr/share/campaign.png")
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_a_draft_actions_card_is_not_shown(client):
    from coalition.letters.models import Action

    ActionFactory(slug="draft", status=Action.Status.DRAFT)
    assert client.get("/share/actions/draft.png").status_code == 404
