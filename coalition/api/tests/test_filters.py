"""An unknown filter value gets a 400 that names the parameter and what is allowed, never an empty list."""

from __future__ import annotations

import pytest

from coalition.members.tests.factories import OrganisationFactory
from coalition.states import reference_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/v1/organisations/?status=bogus", "status", "member"),
        ("/api/v1/organisations/?type=bogus", "type", "ngo, faith, professional, other"),
        ("/api/v1/organisations/?country=XX", "country", "ISO 3166-1"),
        ("/api/v1/organisations/?country=Norway", "country", "ISO 3166-1"),
        ("/api/v1/organisations/?steering_committee=maybe", "steering_committee", "true, false"),
        ("/api/v1/states/?status=bogus", "status", "state_party, signatory, non_signatory"),
        ("/api/v1/states/?region=Atlantis", "region", "Africa, Americas, Asia, Europe, Oceania"),
        ("/api/v1/states/?status=bogus&format=csv", "status", "state_party"),
    ],
)
def test_an_unknown_filter_value_is_answered_400_naming_the_parameter_and_the_allowed_values(
    client, url, parameter, allowed
):
    response = client.get(url)

    assert response.status_code == 400
    assert parameter in response.text and allowed in response.text


def test_known_filter_values_in_any_case_still_filter(client):
    reference_data.load(log=lambda message: None)
    OrganisationFactory(name="Alpha Aid", country="NO", type="ngo")

    assert client.get("/api/v1/organisations/?status=member&type=NGO&country=no").json()["count"] == 1
    assert client.get("/api/v1/organisations/?steering_committee=false").json()["count"] == 1
    states = client.get("/api/v1/states/?status=state_party&region=europe").json()
    assert states["count"] > 0 and {row["status"] for row in states["results"]} == {"state_party"}
