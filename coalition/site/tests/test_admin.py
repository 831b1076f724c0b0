"""Campaigners write pages in the admin: input rules apply, files are checked by content, every save is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.core.models import AuditEntry
from coalition.site.models import Page, PageFile

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "slug": "landmines-too",
        "original_language": "en",
        "published": "on",
        "in_menu": "on",
        "menu_order": "5",
        "translations-TOTAL_FORMS": "2",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "1",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-language": "en",
        "translations-0-title": "Why it matters",
        "translations-0-summary": "",
        "translations-0-body": "Cluster munitions **kill**.",
        "translations-1-language": "fr",
        "translations-1-title": "Pourquoi c'est important",
        "translations-1-summary": "",
        "translations-1-body": "Les armes à sous-munitions **tuent**.",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-kind": "download",
        "files-0-title": "Fact sheet",
        "files-0-language": "en",
        "files-0-order": "1",
        "files-0-file": SimpleUploadedFile("sheet.pdf", b"%PDF-1.4\n%...", "application/pdf"),
    }
    data.update(overrides)
    return data


def test_a_campaigner_writes_a_page_in_two_languages_with_a_download_and_it_is_audited(client, carol):
    client.force_login(carol)

    response = client.post("/admin/campaign_site/page/add/", _form())

    assert response.status_code == 302, response.content.decode()[:3000]
    page = Page.objects.get(slug="landmines-too")
    assert sorted(page.translations.values_list("language", flat=True)) == ["en", "fr"]
    download = PageFile.objects.get(page=page)
    assert download.content_type == "application/pdf" and download.original_name == "sheet.pdf"
    assert download.file.name.endswith(".pdf") and "sheet" not in download.file.name
    entry = AuditEntry.objects.get(action="page.create")
    assert entry.actor_id == carol.pk
    assert "/pages/landmines-too/" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"translations-0-title": "Two\r\nlines"},
        {"translations-0-body": "NUL \x00 here"},
        {"slug": "files"},
        {"files-0-file": SimpleUploadedFile("sheet.pdf", b"<html><script>alert(1)</script>", "application/pdf")},
        {"files-0-kind": "picture", "files-0-file": SimpleUploadedFile("p.png", b"%PDF-1.4", "image/png")},
        {"menu_order": "99999999999"},
    ],
)
def test_hostile_values_are_refused_and_nothing_is_stored(client, carol, overrides):
    client.force_login(carol)

    response = client.post("/admin/campaign_site/page/add/", _form(**overrides))

    assert response.status_code == 200
    assert not Page.objects.exists() and not PageFile.objects.exists()


def test_people_without_the_campaigner_role_cannot_write_pages(client, edna, sam):
    for user in (edna, sam):
        client.force_login(user)
        response = client.post("/admin/campaign_site/page/add/", _form())
        assert response.status_code in (302, 403)
    assert not Page.objects.exists()
