"""The open-data API of states and meetings, in JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.lib.tests.helpers import body

pytestmark = pytest.mark.django_db


def test_the_states_endpoint_lists_every_state_of_the_reference_data(client, reference):
    data = client.get("/api/v1/states/?format=json").json()
    assert data["count"] == len(data["results"]) == 197
    statuses = [row["status"] for row in data["results"]]
    assert (statuses.count("state_party"), statuses.count("signatory"), statuses.count("non_signatory")) == (
        112,
        12,
        73,
    )
    norway = next(row for row in data["results"] if row["iso3"] == "NOR")
    assert norway | {"name": "Norway"} == norway
    assert (norway["status"], norway["signed"], norway["ratified"]) == ("state_party", "2008-12-03", "2008-12-03")


def test_a_state_is_found_by_its_iso3_code_with_its_events(client, reference):
    data = client.get("/api/v1/states/LTU/").json()
    assert data["status"] == "non_signatory" and data["withdrawn"] == "2025-03-06"
    assert [e["kind"] for e in data["events"]] == ["withdrawal_effective"]
    assert client.get("/api/v1/states/nor/").json()["iso3"] == "NOR"
    assert client.get("/api/v1/states/XXX/").status_code == 404


def test_the_states_endpoint_filters_by_status(client, reference):
    data = client.get("/api/v1/states/", {"status": "signatory"}).json()
    assert data["count"] == 12


def test_the_states_list_answers_in_csv_with_every_row(client, reference):
    response = client.get("/api/v1/states/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 197
    norway = next(row for row in rows if row["iso3"] == "NOR")
    assert (norway["name"], norway["status"], norway["signed"]) == ("Norway", "state_party", "2008-12-03")


def test_the_meetings_endpoint_lists_the_reference_meetings_also_in_csv(client, reference):
    data = client.get("/api/v1/meetings/").json()
    assert data["count"] == 21
    assert data["results"][0]["city"] == "Oslo" and data["results"][0]["country"] == "NOR"
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/v1/meetings/?format=csv")))))
    assert len(rows) == 21
    twelfth = next(row for row in rows if row["name"].startswith("Twelfth"))
    assert (twelfth["start"], twelfth["end"]) == ("2024-09-10", "2024-09-13")


def test_the_api_is_read_only_for_visitors(client, reference):
    assert client.post("/api/v1/states/", {"iso3": "XXX"}).status_code in (401, 403, 405)


def test_a_meeting_lists_its_participants_and_observers(client, reference):
    from coalition.states.models import Meeting, Participation
    from coalition.states.tests.factories import ParticipationFactory

    first = Meeting.objects.get(name__startswith="First Meeting of States Parties")
    ParticipationFactory(meeting=first, state_id="NOR")
    ParticipationFactory(meeting=first, state_id="USA", role=Participation.Role.OBSERVER)
    data = client.get(f"/api/v1/meetings/{first.slug}/").json()
    assert (data["participants"], data["observers"]) == (["NOR"], ["USA"])
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/v1/meetings/?format=csv")))))
    row = next(row for row in rows if row["slug"] == first.slug)
    assert (row["participants"], row["observers"]) == ("NOR", "USA")


def test_a_state_partys_obligations_answer_with_deadlines_and_derived_statuses(client, reference):
    data = client.get("/api/v1/states/NOR/obligations/").json()
    assert data["iso3"] == "NOR" and data["reason"] == ""
    by_article = {item["article"]: item for item in data["obligations"]}
    assert by_article["7.1"]["due"] == "2011-01-28"
    assert by_article["3.2"] | {"status": "met", "due": "2018-08-01", "met_year_only": True} == by_article["3.2"]
    assert client.get("/api/v1/states/NOR/").json()["obligations"] == data
    assert client.get("/api/v1/states/IDN/obligations/").json() == {
        "iso3": "IDN",
        "reason": "not_a_party",
        "obligations": [],
    }
    assert client.get("/api/v1/states/XXX/obligations/").status_code == 404


def test_the_openapi_schema_documents_the_obligation_statuses(client):
    schema = client.get("/api/schema/?format=json").json()
    status = schema["components"]["schemas"]["Obligation"]["properties"]["status"]
    text = str(status) + str(schema["components"]["schemas"].get("ObligationStatusEnum", ""))
    assert all(name in text for name in ("met", "pending", "due_soon", "overdue", "extended"))
    assert "/api/v1/states/{iso3}/obligations/" in schema["paths"]
