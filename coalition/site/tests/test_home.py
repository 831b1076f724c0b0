"""The home page and the layout every page shares: navigation, languages, right-to-left Arabic."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_home_page_names_the_campaign_and_links_to_what_exists(client):
    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Cluster Munition Coalition</h1>" in content
    for section in response.context["nav_sections"]:
        assert f'href="{section.url}"' in content
    assert reverse("api-root") in content


HOME_QUERIES = 11


def _campaign(volume: int) -> None:
    """Live and ended actions, events, sent newsletters, states and approved research figures."""
    from datetime import timedelta

    from django.utils import timezone

    from coalition.events.tests.factories import EventFactory
    from coalition.letters.models import Action
    from coalition.letters.tests.factories import ActionFactory
    from coalition.mailings.models import Mailing
    from coalition.mailings.tests.factories import MailingFactory
    from coalition.research.models import CasualtyTotal
    from coalition.states.tests.factories import StateFactory

    today = timezone.localdate()
    for n in range(volume):
        ActionFactory(confirmed_count=n, starts_on=today - timedelta(days=n))
        ActionFactory(status=Action.Status.DRAFT)
        EventFactory()
        MailingFactory(public=True, status=Mailing.Status.SENT, started_at=timezone.now() - timedelta(days=n))
        state: Any = StateFactory()
        CasualtyTotal.objects.create(state=state, year=2020, killed=2, injured=3, records=1)


@pytest.mark.parametrize("volume", [1, 12])
def test_the_home_page_runs_a_fixed_number_of_queries_for_a_visitor(client, django_assert_num_queries, volume):
    _campaign(volume)
    client.get("/")  # the menu of campaign pages is cached from here on
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_the_home_page_tells_the_story_from_live_data_with_the_live_action_first(client):
    from datetime import timedelta

    from django.utils import timezone

    from coalition.letters.models import Action
    from coalition.letters.tests.factories import ActionFactory
    from coalition.mailings.models import Mailing
    from coalition.mailings.tests.factories import MailingFactory

    ActionFactory(slug="join-now", title="Join the ban now", goal=200, confirmed_count=50)
    ActionFactory(slug="a-draft", title="Not yet public", status=Action.Status.DRAFT)
    ActionFactory(slug="ended", title="Over", ends_on=timezone.localdate() - timedelta(days=1))
    MailingFactory(public=True, status=Mailing.Status.SENT, started_at=timezone.now(), subject="Norway joins")

    content = client.get("/").content.decode()

    assert content.index("Join the ban now") < content.index('id="states-panel-heading"')
    assert '<progress max="100" value="25"' in content and "50 letters of 200" in content
    assert "Not yet public" not in content and "Over</a>" not in content
    assert "Norway joins" in content and 'href="/news/' in content
    assert "{{" not in content


def test_the_home_page_shows_the_live_action_in_the_visitors_language_else_the_original_marked(client):
    from coalition.letters.tests.factories import ActionFactory

    ActionFactory(
        title="Join the ban now",
        languages=["en", "fr"],
        translations={"fr": {"title": "Adhérez", "ask": "Adhérez vite.", "letter_template": "Je vous demande…"}},
    )

    french = client.get("/fr/").content.decode()
    arabic = client.get("/ar/").content.decode()

    assert 'lang="fr" dir="auto">Adhérez</a>' in french and 'lang="fr" dir="auto">Adhérez vite.</p>' in french
    assert 'lang="en" dir="auto">Join the ban now</a>' in arabic


def test_the_home_page_shows_the_latest_research_figures(client):
    from coalition.research.models import CasualtyTotal
    from coalition.states.tests.factories import StateFactory

    CasualtyTotal.objects.create(
        state=StateFactory(iso3="LAO"), year=2020, killed=30, injured=70, records=5, killed_civilians=30,
        injured_civilians=60, injured_military=10,
    )  # fmt: skip

    content = client.get("/").content.decode()

    assert "<strong>100</strong>" in content and "<strong>90%</strong>" in content


def test_the_home_page_lists_the_news_archive_among_the_public_areas(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    with translation.override("fr"):
        home, news = reverse("home"), reverse("news:list")
    content = client.get(home).content.decode()

    assert f'href="{news}"' in content
    assert "Actualités" in content


def test_the_language_switcher_renders_the_page_in_arabic_right_to_left(client):
    switcher = client.get("/").content.decode()
    assert '<a href="/ar/" lang="ar" hreflang="ar">' in switcher

    page = client.get("/ar/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    with translation.override("ar"):
        skip_link = translation.gettext("Skip to content")
    assert skip_link != "Skip to content", "the Arabic catalogue is compiled and loaded"
    assert skip_link in page


@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_are_left_to_right_and_translated(client, language):
    page = client.get(f"/{language}/").content.decode()

    assert f'<html lang="{language}" dir="ltr">' in page
    assert "Skip to content" not in page


def test_the_address_not_the_browser_decides_the_language_so_a_shared_link_reads_the_same(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9").content.decode()

    assert '<html lang="en"' in page
    assert '<a href="/fr/" lang="fr" hreflang="fr">' in page


def test_an_unknown_page_answers_404(client):
    assert client.get("/no-such-page/").status_code == 404
