"""Campaign pages: in the visitor's language or the original marked as such, sanitised, in the menu, downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image

from coalition.site.models import Page, PageFile, PageTranslation
from coalition.site.starter_pages import STARTER_PAGES
from coalition.site.tests.factories import page_in

pytestmark = pytest.mark.django_db


def _get(client, path: str, language: str = "en"):
    """The page at its address in `language` (English has no prefix; decision 0017)."""
    return client.get(path if language == "en" else f"/{language}{path}")


def test_a_visitor_reads_the_page_in_their_language(client):
    page = page_in("en", "fr", slug="le-traite")

    assert page.get_absolute_url() == "/pages/le-traite/"

    content = _get(client, "/pages/le-traite/", "fr").content.decode()

    assert "<h1>FR title</h1>" in content
    assert "fr body" in content and "en body" not in content
    assert 'dir="auto"' not in content.split("<article")[1].split(">")[0]


def test_without_their_language_a_visitor_reads_the_original_marked_with_its_language(client):
    page_in("en", slug="only-english")

    content = _get(client, "/pages/only-english/", "ar").content.decode()

    assert '<article class="campaign-page" lang="en" dir="auto">' in content
    assert "<h1>EN title</h1>" in content
    with translation.override("ar"):
        note = translation.gettext("This page is not yet available in your language; here is the original.")
    assert note in content


def test_the_body_is_sanitised_markdown_with_the_sites_own_pictures_only(client):
    page = page_in("en", slug="pictures")
    PageTranslation.objects.filter(page=page).update(
        body="## Heading\n\n![A survivor](/pages/pictures/files/1/)\n\n![tracker](https://evil.example/x.png)\n\n"
        "<script>alert(1)</script> [link](javascript:alert(1))"
    )

    content = _get(client, "/pages/pictures/").content.decode()

    assert "<h2>Heading</h2>" in content
    assert '<img src="/pages/pictures/files/1/" alt="A survivor">' in content
    assert "evil.example" not in content
    assert "<script>alert(1)" not in content and "&lt;script&gt;" in content
    assert 'href="javascript' not in content


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_links_to_the_sites_pages_lead_to_their_version_in_the_readers_language(client, language):
    page = page_in("en", "fr", "ar", slug="links")
    PageTranslation.objects.filter(page=page).update(
        body="[states](/states/?status=signatory#list) [API](/api/docs/) [French](/fr/events/) [nowhere](/no/such/) "
        "[elsewhere](https://example.org/states/)"
    )

    content = _get(client, "/pages/links/", language).content.decode()

    prefix = "" if language == "en" else f"/{language}"
    assert f'href="{prefix}/states/?status=signatory#list"' in content
    assert 'href="/api/docs/"' in content, "one address in every language"
    assert 'href="/fr/events/"' in content, "already in a language"
    assert 'href="/no/such/"' in content and 'href="https://example.org/states/"' in content


def test_an_unpublished_page_is_hidden_from_visitors_and_shown_to_campaigners(client, carol):
    page_in("en", slug="draft-page", published=False)

    assert _get(client, "/pages/draft-page/").status_code == 404
    client.force_login(carol)
    response = _get(client, "/pages/draft-page/")
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_the_menu_lists_published_pages_in_order_in_the_visitors_language(client):
    page_in("en", "es", slug="second", menu_order=2)
    page_in("en", slug="first", menu_order=1)
    page_in("en", slug="hidden", in_menu=False)
    page_in("en", slug="unpublished", published=False)

    nav = _get(client, "/", "es").content.decode().split('id="site-nav"')[1].split("</nav>")[0]

    assert nav.index('href="/es/pages/first/"') < nav.index('href="/es/pages/second/"')
    assert "ES title" in nav
    assert '<a href="/es/pages/first/" lang="en" dir="auto">EN title</a>' in nav
    assert "/pages/hidden/" not in nav and "/pages/unpublished/" not in nav


def test_the_menu_is_read_once_then_from_the_cache_until_a_page_changes(
    carol, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from coalition.site import services
    from coalition.site.pages import menu_entries

    page = page_in("en", slug="cached")
    with django_assert_num_queries(2):  # the pages, their titles
        assert [entry.slug for entry in menu_entries()] == ["cached"]
    with django_assert_num_queries(0):
        assert [entry.slug for entry in menu_entries()] == ["cached"]
    Page.objects.filter(pk=page.pk).update(in_menu=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.page_changed(page=page, by=carol, created=False)

    assert menu_entries() == []


def test_a_page_runs_a_fixed_number_of_queries_whatever_its_files(client, django_assert_num_queries):
    page = page_in("en", "fr", "es", "ar", slug="counted")
    client.get("/pages/counted/")  # the menu is cached
    with django_assert_num_queries(3):  # the page, its versions, its files
        client.get("/pages/counted/")
    for n in range(5):
        PageFile.objects.create(
            page=page,
            title=f"Fact sheet {n}",
            file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            content_type="application/pdf",
        )
    with django_assert_num_queries(3):
        client.get("/pages/counted/")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_download_is_served_under_its_title_with_the_type_read_from_its_content(client):
    page = page_in("en", slug="resources-test")
    item = PageFile.objects.create(
        page=page,
        title='Fact sheet "2025"\r\nX-Evil: 1',
        file=SimpleUploadedFile("whatever.html", b"%PDF-1.4 ..."),
        content_type="application/pdf",
        original_name="whatever.html",
    )

    content = _get(client, "/pages/resources-test/").content.decode()
    assert f'href="{item.get_absolute_url()}"' in content
    response = client.get(item.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert disposition.endswith('.pdf"') and "X-Evil" in disposition  # one header, the name made safe


def test_a_picture_is_shown_inline_and_a_file_of_an_unpublished_page_is_not_served(client):
    page = page_in("en", slug="with-picture")
    picture = PageFile.objects.create(
        page=page,
        kind=PageFile.Kind.PICTURE,
        title="Survivor",
        file=SimpleUploadedFile("p.png", _png()),
        content_type="image/png",
        original_name="p.png",
    )
    response = client.get(picture.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")

    Page.objects.filter(pk=page.pk).update(published=False)
    assert client.get(picture.get_absolute_url()).status_code == 404
    assert client.get(reverse("pages:file", kwargs={"slug": "other", "pk": picture.pk})).status_code == 404


def test_the_starter_pages_are_loaded_once_in_four_languages_and_never_overwritten():
    call_command("load_reference_data", verbosity=0)
    assert set(Page.objects.values_list("slug", flat=True)) == set(STARTER_PAGES)
    for page in Page.objects.all():
        assert set(page.translations.values_list("language", flat=True)) == {"en", "fr", "es", "ar"}
        assert page.published and page.in_menu
    PageTranslation.objects.filter(page__slug="about", language="fr").update(title="Qui sommes-nous")
    Page.objects.filter(slug="resources").delete()

    call_command("load_reference_data", verbosity=0)

    assert PageTranslation.objects.get(page__slug="about", language="fr").title == "Qui sommes-nous"
    assert not Page.objects.filter(slug="resources").exists()


def test_the_starter_texts_are_translated_not_copied():
    for slug, (_order, versions) in STARTER_PAGES.items():
        english = versions["en"]
        for language in ("fr", "es", "ar"):
            title, summary, body = versions[language]
            assert title != english[0] and summary != english[1] and body != english[2], (slug, language)
