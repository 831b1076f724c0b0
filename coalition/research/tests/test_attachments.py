"""Report attachments: the content must be what the extension says, within the size limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.lib.tests.helpers import saved_name
from coalition.research import services
from coalition.research.models import Attachment, Status
from coalition.research.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.fixture
def draft_report(alpha, rita):
    return ReportFactory(organisation=alpha, status=Status.DRAFT)


def _attach(client, report, name, content):
    url = reverse("research:attachment-add", args=[report.pk])
    return client.post(url, {"attachment": SimpleUploadedFile(name, content)}, follow=True)


def test_a_pdf_and_a_png_are_attached_and_downloadable_once_the_report_is_public(client, draft_report, rita):
    client.force_login(rita)
    _attach(client, draft_report, "survey.pdf", PDF)
    _attach(client, draft_report, "map.png", PNG)
    assert list(draft_report.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    attachment = draft_report.attachments.first()
    client.logout()
    url = reverse("research:attachment", args=[draft_report.pk, attachment.pk])
    assert client.get(url).status_code == 404
    draft_report.status = Status.APPROVED
    draft_report.save()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 this is a Windows program", "is not a PDF file"),
        ("photo.jpg", PDF, "is not a JPG file"),
        ("notes.docx", b"PK\x03\x04", "only PDF and image files"),
    ],
)
def test_an_attachment_that_is_not_what_its_extension_says_is_refused(
    client, draft_report, rita, name, content, message
):
    client.force_login(rita)
    response = _attach(client, draft_report, name, content)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(client, draft_report, rita, settings):
    settings.RESEARCH_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(rita)
    response = _attach(client, draft_report, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "larger than 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_another_organisation_cannot_attach_to_a_report(client, draft_report, otto):
    client.force_login(otto)
    assert _attach(client, draft_report, "survey.pdf", PDF).status_code == 404


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ('evil".html;\r\nX: y.pdf', "evil .html; X: y.pdf"),
        ("تقرير الذخائر العنقودية.pdf", "تقرير الذخائر العنقودية.pdf"),
    ],
)
def test_an_uploaded_name_downloads_whole_and_cannot_add_a_header_or_change_the_extension(
    client, draft_report, rita, name, saved
):
    services.attachment_add(report=draft_report, upload=SimpleUploadedFile(name, PDF), by=rita)
    draft_report.status = Status.APPROVED
    draft_report.save()
    attachment = draft_report.attachments.get()
    assert attachment.original_name == name

    response = client.get(reverse("research:attachment", args=[draft_report.pk, attachment.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert saved_name(response) == saved
    assert "X" not in response.headers
