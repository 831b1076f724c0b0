"""Every query parameter of the API is checked as the schema declares it: a refused value is a 400 whose JSON body
names the parameter and says what is allowed (never an empty list that hides the typo); every allowed value is
accepted."""

from __future__ import annotations

import pytest

from coalition.events.tests.factories import EventFactory
from coalition.members.tests.factories import OrganisationFactory
from coalition.research.tests.factories import CasualtyFactory
from coalition.states import reference_data
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        # an unknown value of a list of choices
        ("/api/v1/organisations/?status=bogus", "status", "member"),
        ("/api/v1/organisations/?type=bogus", "type", "ngo, faith, professional, other"),
        ("/api/v1/organisations/?type=NGO", "type", "ngo"),  # spelled exactly as the schema lists it
        ("/api/v1/states/?status=bogus", "status", "state_party, signatory, non_signatory"),
        ("/api/v1/states/?region=Atlantis", "region", "Africa, Americas, Asia, Europe, Oceania"),
        ("/api/v1/events/?when=AAA", "when", "upcoming, past, all"),
        ("/api/v1/events/?kind=rally", "kind", "public_meeting"),
        ("/api/v1/events/?status=gone", "status", "published"),
        ("/api/v1/states/?status=bogus&format=csv", "status", "state_party"),
        # countries and states by their ISO codes, in capitals
        ("/api/v1/organisations/?country=XX", "country", "ISO 3166-1"),
        ("/api/v1/organisations/?country=Norway", "country", "ISO 3166-1"),
        ("/api/v1/events/?country=no", "country", "ISO 3166-1"),
        ("/api/v1/research/casualties/?state=XYZ", "state", "ISO 3166-1"),
        ("/api/v1/research/casualties/summary/?state=lao", "state", "ISO 3166-1"),
        # an empty value
        ("/api/v1/events/?when=", "when", "give one"),
        ("/api/v1/events/?starts_after=", "starts_after", "give one"),
        ("/api/v1/organisations/?search=", "search", "give one"),
        ("/api/v1/organisations/?steering_committee=", "steering_committee", "give one"),
        ("/api/v1/research/casualties/summary/?year_from=", "year_from", "give one"),
        ("/api/v1/states/?region=", "region", "give one"),
        # a bad date
        ("/api/v1/events/?starts_after=AAA", "starts_after", "YYYY-MM-DD"),
        ("/api/v1/events/?starts_before=2024-02-30", "starts_before", "YYYY-MM-DD"),
        ("/api/v1/research/casualties/?date_from=20240105", "date_from", "YYYY-MM-DD"),
        ("/api/v1/research/casualties/?date_to=5/1/2024", "date_to", "YYYY-MM-DD"),
        # a bad integer, or one out of range
        ("/api/v1/research/casualties/summary/?year_from=abc", "year_from", "whole number from 1 to 9999"),
        ("/api/v1/research/casualties/summary/?year_to=2024.0", "year_to", "whole number"),
        ("/api/v1/research/casualties/summary/?year_to=%202024", "year_to", "whole number"),
        ("/api/v1/research/casualties/summary/?year_to=99999", "year_to", "whole number"),
        ("/api/v1/organisations/?page=0", "page", "whole number from 1"),
        ("/api/v1/events/?page=last", "page", "whole number from 1"),
        ("/api/v1/actions/?page=", "page", "give one"),
        ("/api/v1/states/?page=1.5&format=csv", "page", "whole number from 1"),
        # a bad boolean
        ("/api/v1/organisations/?steering_committee=maybe", "steering_committee", "true, false"),
        ("/api/v1/actions/?live=1", "live", "true, false"),
        # text with a control character, or a slug that is not one
        ("/api/v1/organisations/?search=a%0Ab", "search", "without control characters"),
        ("/api/v1/events/?organisation=a%20b", "organisation", "slug"),
        # a format no list offers
        ("/api/v1/events/?format=xml", "format", "json, csv"),
        ("/api/v1/events/?format=", "format", "json, csv"),
        ("/api/v1/states/NOR/?format=csv", "format", "json"),
    ],
)
def test_a_refused_parameter_is_answered_400_naming_it_and_what_is_allowed(client, url, parameter, allowed):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [parameter], body
    assert allowed in " ".join(body[parameter]), body


def test_several_refused_parameters_are_named_together(client):
    response = client.get("/api/v1/events/?when=AAA&kind=&starts_after=yesterday")

    assert response.status_code == 400
    assert set(response.json()) == {"when", "kind", "starts_after"}


def test_the_allowed_values_filter(client):
    reference_data.load(log=lambda message: None)
    OrganisationFactory(name="Alpha Aid", country="NO", type="ngo", city="Tromsø")
    OrganisationFactory(name="Beta Aid", country="SE", type="faith", city="Malmö")

    assert client.get("/api/v1/organisations/?status=member&type=ngo&country=NO&search=Troms").json()["count"] == 1
    assert client.get("/api/v1/organisations/?steering_committee=false").json()["count"] == 2
    assert client.get("/api/v1/organisations/?steering_committee=true").json()["count"] == 0
    assert client.get("/api/v1/organisations/?country=DK").json()["count"] == 0
    EventFactory(title="Debate in Oslo", kind="debate", country="NO")
    CasualtyFactory(state=StateFactory(iso3="LAO"))
    states = client.get("/api/v1/states/?status=state_party&region=Europe").json()
    assert states["count"] > 0 and {row["status"] for row in states["results"]} == {"state_party"}
    assert client.get("/api/v1/events/?kind=debate&country=NO&when=all&starts_after=2000-01-01").json()["count"] == 1
    assert client.get("/api/v1/events/?kind=vigil").json()["count"] == 0
    assert (
        client.get("/api/v1/research/casualties/?state=LAO&date_from=0001-01-01&date_to=9999-12-31").json()["count"]
        == 1
    )
    assert client.get("/api/v1/research/casualties/summary/?state=KHM&year_from=1&year_to=9999").json() == []
    assert client.get("/api/v1/actions/?live=false&page=1").status_code == 200


def test_a_page_beyond_the_last_is_a_404_as_documented(client):
    response = client.get("/api/v1/organisations/?page=2")

    assert response.status_code == 404 and "detail" in response.json()


def test_a_path_under_the_api_that_names_nothing_is_a_json_404(client):
    response = client.get("/api/v1/events/1.5e-3/")

    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_method_the_resource_lacks_is_405_before_its_parameters_are_checked(client):
    response = client.generic("TRACE", "/api/v1/events/?format=csv&when=AAA")

    assert response.status_code == 405
