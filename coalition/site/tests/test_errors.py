"""The site's own error pages: in the layout and the address's language, with no debugging information."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from coalition.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("a secret detail of the failure")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
handler500 = "coalition.site.errors.server_error"


@pytest.mark.parametrize(
    ("prefix", "heading", "lang"),
    [("", "Page not found", "en"), ("/fr", "Page introuvable", "fr"), ("/ar", "الصفحة غير موجودة", "ar")],
)
def test_an_unknown_address_shows_the_sites_404_in_its_language(client, prefix, heading, lang):
    response = client.get(f"{prefix}/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{lang}"' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the layout
    assert "URLconf" not in html and "Using the URLconf" not in html  # not Django's debug page


def test_a_server_error_shows_the_sites_500_without_the_error(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert 'class="site-header"' in html
    assert "secret detail" not in html and "Traceback" not in html
