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
