"""Report photos are what their bytes say: stored and served under the extension of the detected picture
type, whatever name they were uploaded with; anything that is not a JPEG, PNG, GIF or WebP is refused."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from coalition.events import services
from coalition.events.admin import ReportPhotoForm
from coalition.events.models import EventReport, ReportPhoto
from coalition.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def picture(name: str, image_format: str, *, trailer: bytes = b"") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue() + trailer, content_type="image/png")


@pytest.fixture
def past_event(org_a):
    return EventFactory(organisation=org_a, starts_at=timezone.now() - timedelta(hours=3))


def _post_photo(client, event, upload):
    return client.post(reverse("events:report", args=[event.pk]), {"attendance": 12, "photo": upload})


@pytest.mark.parametrize(
    ("uploaded_as", "image_format", "stored_as", "content_type"),
    [
        ("x.html", "PNG", "x.png", "image/png"),
        ("crowd.png", "JPEG", "crowd.jpg", "image/jpeg"),
        ("banner.svg", "GIF", "banner.gif", "image/gif"),
        ("hall.photo.html.jpg", "WEBP", "hall-photo-html.webp", "image/webp"),
    ],
)
def test_a_photo_is_stored_and_served_under_the_type_of_its_content(
    client, edna, past_event, uploaded_as, image_format, stored_as, content_type
):
    client.force_login(edna)

    response = _post_photo(client, past_event, picture(uploaded_as, image_format))

    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert photo.image.name == f"events/reports/{past_event.pk}/{stored_as}"
    served = client.get(photo.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff" and served["Content-Security-Policy"] == "sandbox"


def test_a_png_with_a_web_page_after_its_end_is_kept_only_as_a_png(client, edna, past_event):
    """A polyglot: a valid picture that is also an HTML page. It is stored and served as a picture only."""
    client.force_login(edna)

    _post_photo(client, past_event, picture("page.html", "PNG", trailer=HTML))

    photo = ReportPhoto.objects.get()
    assert photo.image.name.endswith("/page.png")
    served = client.get(photo.get_absolute_url())
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"


NOT_AN_IMAGE = "Upload a valid image."  # Django's ImageField: Pillow cannot read it


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.png", HTML, NOT_AN_IMAGE),
        ("x.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', NOT_AN_IMAGE),
        ("x.gif", b"GIF89a" + HTML, NOT_AN_IMAGE),  # the right magic bytes, but no picture behind them
        ("x.png", b"%PDF-1.4\n" + HTML, NOT_AN_IMAGE),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_with_a_form_error_whatever_its_name(
    client, edna, past_event, name, content, message
):
    client.force_login(edna)

    response = _post_photo(client, past_event, SimpleUploadedFile(name, content, content_type="image/png"))

    assert response.status_code == 200
    assert message in response.text
    assert not ReportPhoto.objects.exists() and not EventReport.objects.exists()


def test_a_picture_format_browsers_do_not_all_show_is_refused(client, edna, past_event):
    client.force_login(edna)

    response = _post_photo(client, past_event, picture("scan.tiff", "TIFF"))

    assert response.status_code == 200
    assert "The photo must be a JPEG, PNG, GIF or WebP picture." in response.text
    assert not ReportPhoto.objects.exists()


def test_the_service_refuses_a_file_that_is_not_a_picture_and_stores_nothing(edna, past_event):
    upload = SimpleUploadedFile("x.png", HTML)

    with pytest.raises(services.EventError, match="must be a JPEG, PNG, GIF or WebP picture"):
        services.report_save(event=past_event, attendance=3, notes="", photos=[(upload, "")], by=edna)

    assert not EventReport.objects.exists()


def test_a_photo_added_in_the_admin_is_checked_the_same_way(past_event):
    refused = ReportPhotoForm(data={"caption": ""}, files={"image": SimpleUploadedFile("x.png", HTML)})
    tiff = ReportPhotoForm(data={"caption": ""}, files={"image": picture("scan.tiff", "TIFF")})
    accepted = ReportPhotoForm(data={"caption": "Hall"}, files={"image": picture("hall.png", "JPEG")})

    assert not refused.is_valid() and not tiff.is_valid()
    assert "The photo must be a JPEG, PNG, GIF or WebP picture." in str(tiff.errors)
    assert accepted.is_valid()
    accepted.instance.report = EventReport.objects.create(event=past_event, attendance=3)
    assert accepted.save().image.name == f"events/reports/{past_event.pk}/hall.jpg"


def test_a_stored_photo_whose_name_is_not_a_picture_type_is_never_served(client, past_event):
    report = EventReport.objects.create(event=past_event, attendance=3)
    photo = ReportPhoto.objects.create(report=report, image=picture("old.png", "PNG"))
    assert client.get(photo.get_absolute_url()).status_code == 200
    # As if stored by an older version under the name it was uploaded with.
    old_name = default_storage.save(f"events/reports/{past_event.pk}/old.html", picture("old.html", "PNG"))
    ReportPhoto.objects.filter(pk=photo.pk).update(image=old_name)

    assert client.get(photo.get_absolute_url()).status_code == 404
