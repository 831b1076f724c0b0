from __future__ import annotations

import pytest

from coalition.members.tests.factories import OrganisationFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/?search=%00",
        "/api/v1/organisations/?country=N%00",
        "/api/v1/organisations/al%00pha/",
        "/api/v1/states/?status=%00",
        "/api/v1/states/?region=%00",
        "/states/N%00R/",
        "/members/?q=%00",
    ],
)
def test_a_nul_character_in_the_address_gets_a_clear_400_not_a_server_error(client, url):
    OrganisationFactory(name="Alpha", slug="alpha")
    StateFactory(iso3="NOR")

    response = client.get(url)

    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


def test_ordinary_addresses_still_reach_their_pages(client):
    OrganisationFactory(name="Alpha", slug="alpha")

    assert client.get("/api/v1/organisations/?search=alp").json()["count"] == 1
