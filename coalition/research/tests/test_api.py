"""The research API answers the format suffixes its router publishes."""

from __future__ import annotations

import pytest

from coalition.research.tests.factories import CasualtyFactory

pytestmark = pytest.mark.django_db


def test_the_casualty_summary_answers_with_a_format_suffix_as_with_a_query(client, states, refresh_totals):
    CasualtyFactory(state=states["LAO"], killed=2, injured=1)
    refresh_totals()

    suffixed = client.get("/api/v1/research/casualties/summary.json")
    queried = client.get("/api/v1/research/casualties/summary/", {"format": "json"})

    assert suffixed.status_code == 200
    assert suffixed.json() == queried.json()
    assert suffixed.json()[0]["killed"] == 2


def test_a_casualty_record_answers_with_its_breakdowns(client, states):
    CasualtyFactory(
        state=states["LAO"], killed=3, injured=0, sex="female", age_group="child", civilian_status="unknown"
    )

    [record] = client.get("/api/v1/research/casualties/").json()["results"]

    assert (record["killed"], record["killed_girls"], record["killed_female"], record["killed_children"]) == (
        3,
        3,
        3,
        3,
    )
    assert (record["killed_boys"], record["killed_civilians"], record["injured_girls"]) == (0, 0, 0)
    assert "sex" not in record and "name" not in record
