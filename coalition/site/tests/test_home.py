"""The home page and the layout every page shares: navigation, languages, right-to-left Arabic."""

from __future__ import annotations

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


def test_the_home_page_lists_the_news_archive_among_the_public_areas(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    with translation.override("fr"):
        home, news = reverse("home"), reverse("news:list")
    content = client.get(home).content.decode()

    assert f'href="{news}"' in content
    assert "Actualités" in content


def test_the_home_page_runs_a_fixed_number_of_queries_for_a_visitor(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get("/")


def test_the_language_switcher_renders_the_page_in_arabic_right_to_left(client):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302

    page = client.get("/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    with translation.override("ar"):
        skip_link = translation.gettext("Skip to content")
    assert skip_link != "Skip to content", "the Arabic catalogue is compiled and loaded"
    assert skip_link in page


@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_are_left_to_right_and_translated(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    page = client.get("/").content.decode()

    assert f'<html lang="{language}" dir="ltr">' in page
    assert "Skip to content" not in page


def test_the_browser_language_is_used_when_no_choice_was_made(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9").content.decode()

    assert '<html lang="fr"' in page


def test_an_unknown_page_answers_404(client):
    assert client.get("/no-such-page/").status_code == 404
