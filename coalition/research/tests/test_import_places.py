"""`import_strikes` and `import_areas`: CSV, HXL and (areas) GeoJSON, every bad row named, all or nothing; the
exports (GeoJSON checked against the specification) import back unchanged."""

from __future__ import annotations

import io
import json
from datetime import date

import geojson
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.research import place_import
from coalition.research.models import ContaminatedArea, RecordChange, Status, Strike
from coalition.research.tests.factories import AreaFactory, CasualtyFactory, StrikeFactory

pytestmark = pytest.mark.django_db

STRIKES_HXL = """\
Strike ID,Country,Date,Village,Latitude,Longitude,Munition,Delivery,Submunitions,Source
#event+id,#country+code,#date+occurred,#loc+name,#geo+lat,#geo+lon,#item+type,#event+delivery,#item+num,#meta+source
S-1,LAO,1969-05-02,Ban Nong,16.5,106.1,BLU-26/B,air_dropped,670,US bombing data
S-2,SYR,2016-10-05,Aleppo,36.2,37.15,AO-1SCh,air_dropped,,Monitor
"""

AREAS_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[106.0, 15.0], [106.1, 15.0], [106.1, 15.1], [106.0, 15.0]]],
            },
            "properties": {
                "id": "A-7",
                "state": "LAO",
                "date": "2021-06-01",
                "hazard_status": "confirmed",
                "area_m2": 120000,
                "place": "Ban Phone",
                "source": "NRA survey",
            },
        },  # fmt: skip
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [37.5, 48.7]},
            "properties": {"id": "A-8", "state": "UKR", "date": "2023-02-01", "source": "NRA survey"},
        },
    ],
}


def test_strikes_import_from_hxl_and_again_change_nothing(states):
    report = place_import.places_import(kind="strike", handle=io.StringIO(STRIKES_HXL), dry_run=False,
                                        by=Actor.SYSTEM, approve=True)  # fmt: skip
    assert (report.format, report.imported) == ("HXL", 2)
    strike = Strike.objects.get(external_id="S-1")
    assert (strike.munition_type, strike.submunitions, strike.status) == ("BLU-26/B", 670, Status.APPROVED)
    assert Strike.objects.get(external_id="S-2").submunitions is None

    again = place_import.places_import(kind="strike", handle=io.StringIO(STRIKES_HXL), dry_run=False,
                                       by=Actor.SYSTEM, approve=True)  # fmt: skip
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    assert Strike.objects.count() == 2 and not RecordChange.objects.exists()


def test_a_bad_strike_row_is_named_and_nothing_is_kept(states):
    text = "state,date,submunitions,delivery\nLAO,2019-01-01,5,air_dropped\nLAO,2999-01-01,-1,by_hand\n"
    report = place_import.Report()
    with pytest.raises(ImportRejected):
        place_import.places_import(kind="strike", handle=io.StringIO(text), dry_run=False, by=Actor.SYSTEM,
                                   report=report)  # fmt: skip
    assert {(p.row, p.field) for p in report.errors} == {(3, "date"), (3, "submunitions"), (3, "delivery")}
    assert not Strike.objects.exists()


def test_areas_import_from_geojson_polygons_with_the_command_and_its_progress(states, tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(AREAS_GEOJSON))
    out = io.StringIO()
    call_command("import_areas", str(path), "--approve", stdout=out, stderr=io.StringIO())
    assert "Checked 2 rows" in out.getvalue() and "GeoJSON: imported 2 contaminated areas" in out.getvalue()
    outlined = ContaminatedArea.objects.get(external_id="A-7")
    assert outlined.polygon == [[106.0, 15.0], [106.1, 15.0], [106.1, 15.1], [106.0, 15.0]]
    assert (outlined.area_m2, outlined.hazard_status, outlined.place_name) == (120000, "confirmed", "Ban Phone")
    point = ContaminatedArea.objects.get(external_id="A-8")
    assert (point.latitude, point.longitude, point.polygon) == (48.7, 37.5, [])


def test_an_open_outline_is_refused_naming_the_feature(states, tmp_path):
    broken = json.loads(json.dumps(AREAS_GEOJSON))
    broken["features"][0]["geometry"]["coordinates"][0].pop()
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(broken))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_areas", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert "row 1, geometry" in err.getvalue()
    assert not ContaminatedArea.objects.exists()


def test_areas_import_from_csv_too(states, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("id,state,date,hazard_status,area_m2,source\nB-1,LAO,2020-01-01,suspected,500,NRA\n")
    call_command("import_areas", str(path), stdout=io.StringIO())
    assert ContaminatedArea.objects.get().status == Status.SUBMITTED


def _export(client, kind: str, fmt: str) -> str:
    response = client.get(reverse("research:export"), {"kind": kind, "format": fmt})
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("kind", ["casualty", "strike", "area"])
def test_every_geojson_export_is_valid_geojson(client, states, kind):
    CasualtyFactory()
    StrikeFactory(latitude=16.123, longitude=106.456)
    StrikeFactory(latitude=None, longitude=None)  # no point: a feature without geometry
    AreaFactory(polygon=[[106.0, 15.0], [106.1, 15.0], [106.1, 15.1], [106.0, 15.0]])
    AreaFactory()

    exported = geojson.loads(_export(client, kind, "geojson"))

    assert exported.is_valid, exported.errors()
    assert exported["type"] == "FeatureCollection" and len(exported["features"]) >= 1


@pytest.mark.parametrize(("kind", "fmt"), [("strike", "csv"), ("strike", "hxl"), ("area", "geojson"), ("area", "hxl")])
def test_the_strike_and_area_exports_import_back_unchanged(client, states, kind, fmt, tmp_path):
    StrikeFactory(latitude=16.1234, longitude=106.4567, submunitions=300, external_id="S-9")
    StrikeFactory(date=date(2020, 1, 1))
    AreaFactory(polygon=[[106.0, 15.0], [106.1, 15.0], [106.1, 15.1], [106.0, 15.0]])
    AreaFactory(external_id="A-1", latitude=15.5, longitude=106.5)
    model = Strike if kind == "strike" else ContaminatedArea
    fields = [f.attname for f in model._meta.concrete_fields]
    before = sorted(model.objects.values_list(*fields))
    path = tmp_path / f"export.{'geojson' if fmt == 'geojson' else 'csv'}"
    path.write_text(_export(client, kind, fmt))

    out = io.StringIO()
    call_command(f"import_{kind}s" if kind == "strike" else "import_areas", str(path), "--approve", stdout=out)

    assert "imported 0" in out.getvalue() and "0 updated, 2 unchanged" in out.getvalue()
    assert sorted(model.objects.values_list(*fields)) == before
    assert not RecordChange.objects.exists()
