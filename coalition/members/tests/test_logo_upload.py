"""Logos: editors upload plain pictures of a sensible size; anything else is refused with a message."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coalition.members.tests.form_data import PROFILE

pytestmark = pytest.mark.django_db


def picture(name: str, image_format: str, size: tuple[int, int] = (40, 40), noise: bool = False) -> SimpleUploadedFile:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_editor_uploads_a_png_logo_and_it_is_stored_as_a_png(client, edna, org_a):
    client.force_login(edna)

    # Named .jpg but a PNG inside: it is stored under the name its content has.
    response = client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": picture("our logo.jpg", "PNG")})

    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.logo.name.startswith("members/logos/") and org_a.logo.name.endswith(".png")


def test_a_logo_over_two_megabytes_is_refused_with_a_message(client, edna, org_a):
    client.force_login(edna)

    big = picture("logo.png", "PNG", size=(1000, 800), noise=True)
    assert big.size > 2 * 1024 * 1024
    response = client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": big})

    assert response.status_code == 200
    assert "The logo is too large" in response.text
    org_a.refresh_from_db()
    assert not org_a.logo


def test_a_picture_format_browsers_do_not_show_as_a_logo_is_refused(client, edna, org_a):
    client.force_login(edna)

    response = client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": picture("logo.tiff", "TIFF")})

    assert "must be a PNG, JPEG, GIF or WebP picture" in response.text
    org_a.refresh_from_db()
    assert not org_a.logo


def test_an_svg_logo_is_refused(client, edna, org_a):
    client.force_login(edna)
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')

    response = client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": svg})

    assert response.status_code == 200
    org_a.refresh_from_db()
    assert not org_a.logo


def test_a_visitor_sees_an_uploaded_logo_on_the_organisations_page(client, edna, org_a):
    client.force_login(edna)
    client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": picture("logo.png", "PNG")})
    client.logout()
    org_a.refresh_from_db()

    page = client.get(f"/members/{org_a.slug}/")
    assert f'src="{org_a.logo.url}"' in page.text
    logo = client.get(org_a.logo.url)

    assert org_a.logo.url.startswith("/members/logos/")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert logo["Content-Security-Policy"] == "sandbox"
    assert "max-age" in logo["Cache-Control"]
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")


def test_only_logos_are_served_and_other_uploaded_files_are_not_found(client, settings):
    private = settings.MEDIA_ROOT / "research" / "attachments"
    private.mkdir(parents=True)
    (private / "witness.pdf").write_bytes(b"%PDF- names of casualties")
    (settings.MEDIA_ROOT / "secret.png").write_bytes(b"\x89PNG not a logo")
    logos = settings.MEDIA_ROOT / "members" / "logos"
    logos.mkdir(parents=True)

    for path in [
        "/members/logos/..%2F..%2Fresearch%2Fattachments%2Fwitness.pdf",
        "/members/logos/../../research/attachments/witness.pdf",
        "/members/logos/..%2F..%2Fsecret.png",
        "/members/logos/%2E%2E/",
        "/members/logos/missing.png",
        "/media/research/attachments/witness.pdf",
    ]:
        assert client.get(path).status_code == 404, path


def test_a_suspended_organisations_logo_is_no_longer_public(client, edna, org_a):
    client.force_login(edna)
    client.post(f"/members/{org_a.slug}/edit/", {**PROFILE, "logo": picture("logo.png", "PNG")})
    org_a.refresh_from_db()
    org_a.status = "suspended"
    org_a.save()

    assert client.get(org_a.logo.url).status_code == 200  # its editors still see it
    client.logout()
    assert client.get(org_a.logo.url).status_code == 404
