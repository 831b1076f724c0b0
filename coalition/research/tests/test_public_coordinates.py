"""Casualties and strikes recorded to the metre are published to two decimals (about 1 km) in every public output:
the map of /research/ and its clusters, the API (JSON and CSV), the CSV, HXL and GeoJSON exports, large exports
built by a task. Reviewers and the submitting organisation still read the full value in the workspace."""

from __future__ import annotations

import csv
import importlib
import io
import json

import pytest
from django.urls import reverse

from coalition.lib import maps
from coalition.research import selectors
from coalition.research.models import ContaminatedArea, ExportJob, PlacedRecord, Strike
from coalition.research.tests.factories import AreaFactory, CasualtyFactory, StrikeFactory

pytestmark = pytest.mark.django_db

EXACT = PlacedRecord.Precision.EXACT
# A house in Ban Nong, to the metre; the public sees 16.12, 106.65.
LAT, LON = 16.123456, 106.654321
FULL = ("16.123456", "106.654321", "16.1234", "106.6543", "16.123", "106.654")
PUBLIC = (16.12, 106.65)


@pytest.fixture
def exact_casualty(states, alpha, refresh_totals):
    record = CasualtyFactory(organisation=alpha, latitude=LAT, longitude=LON, location_precision=EXACT)
    refresh_totals()
    return record


@pytest.fixture
def exact_strike(states, alpha):
    return StrikeFactory(organisation=alpha, latitude=LAT, longitude=LON, location_precision=EXACT)


def _assert_coarse(body: bytes | str) -> None:
    text = body if isinstance(body, str) else body.decode()
    for full in FULL:
        assert full not in text, f"{full} is published"


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_api_gives_an_exact_casualty_to_two_decimals(client, exact_casualty):
    listed = client.get("/api/v1/research/casualties/")
    detail = client.get(f"/api/v1/research/casualties/{exact_casualty.pk}/")

    [item] = listed.json()["results"]
    assert (item["latitude"], item["longitude"]) == PUBLIC
    assert (detail.json()["latitude"], detail.json()["longitude"]) == PUBLIC
    assert item["location_precision"] == "exact"
    _assert_coarse(listed.content)
    _assert_coarse(detail.content)


def test_the_api_csv_gives_an_exact_casualty_to_two_decimals(client, exact_casualty):
    body = _body(client.get("/api/v1/research/casualties/?format=csv")).decode()

    [row] = list(csv.DictReader(io.StringIO(body)))
    assert (row["latitude"], row["longitude"]) == ("16.12", "106.65")
    _assert_coarse(body)


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
@pytest.mark.parametrize("kind", ["casualty", "strike"])
def test_the_csv_and_hxl_exports_give_exact_records_to_two_decimals(client, exact_casualty, exact_strike, kind, fmt):
    body = _body(client.get(reverse("research:export"), {"kind": kind, "format": fmt})).decode()

    rows = list(csv.DictReader(io.StringIO(body)))
    record = rows[1] if fmt == "hxl" else rows[0]  # the HXL tag row comes first
    assert (record["latitude"], record["longitude"]) == ("16.12", "106.65")
    _assert_coarse(body)


@pytest.mark.parametrize("kind", ["casualty", "strike"])
def test_the_geojson_export_places_exact_records_to_two_decimals(client, exact_casualty, exact_strike, kind):
    body = _body(client.get(reverse("research:export"), {"kind": kind, "format": "geojson"}))

    [feature] = json.loads(body)["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.65, 16.12]}
    _assert_coarse(body)


def test_a_large_export_built_by_a_task_is_coarse_too(
    client, exact_casualty, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.RESEARCH_EXPORT_SYNC_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("research:export"), {"kind": "casualty", "format": "csv"})
    run_tasks()
    job = ExportJob.objects.get()

    body = _body(client.get(job.get_absolute_url(), {"download": 1}))

    assert b"16.12,106.65" in body
    _assert_coarse(body)
    assert ExportJob.objects.get().rows == 1


def test_the_map_clusters_are_computed_from_the_public_coordinates(exact_strike, states):
    StrikeFactory(latitude=16.1, longitude=106.7, location_precision=EXACT)

    [cell] = selectors.map_clusters(Strike, selectors.PublicFilters(), cell=1.0)

    # The mean of 16.12 and 16.1, of 106.65 and 106.7: no trace of the metres.
    assert cell["n"] == 2
    assert cell["lat"] == pytest.approx(16.11) and cell["lon"] == pytest.approx(106.675)


def test_a_cell_holding_a_single_strike_does_not_give_its_exact_place_away(exact_strike):
    [cell] = selectors.map_clusters(Strike, selectors.PublicFilters(), cell=0.25)

    assert (cell["lat"], cell["lon"]) == PUBLIC
    [dot] = maps.cluster_markers([cell], kind="strike", label=str)
    assert (dot.x, dot.y) == (286.65, 73.88)


def test_the_research_page_and_its_map_show_no_exact_position(client, exact_casualty, exact_strike):
    body = _body(client.get("/research/"))

    assert b"286.65" in body  # the strike's dot
    _assert_coarse(body)


def test_an_approximate_record_is_published_to_two_decimals_at_most_too(client, states, refresh_totals):
    """A precision mislabelled 'approximate' must not leak a house either: no public coordinate is finer."""
    CasualtyFactory(latitude=LAT, longitude=LON, location_precision=PlacedRecord.Precision.APPROXIMATE)
    refresh_totals()

    [item] = client.get("/api/v1/research/casualties/").json()["results"]

    assert (item["latitude"], item["longitude"]) == PUBLIC


def test_contaminated_areas_keep_the_position_people_must_avoid(client, states):
    AreaFactory(latitude=LAT, longitude=LON, location_precision=EXACT)

    [cell] = selectors.map_clusters(ContaminatedArea, selectors.PublicFilters(), cell=0.25)
    body = _body(client.get(reverse("research:export"), {"kind": "area", "format": "csv"})).decode()

    assert (cell["lat"], cell["lon"]) == (LAT, LON)
    assert "16.123456,106.654321" in body


@pytest.mark.parametrize("who", ["rita", "vera"])
def test_the_submitting_organisation_and_reviewers_still_see_the_full_position(client, exact_casualty, who, request):
    client.force_login(request.getfixturevalue(who))

    html = client.get(exact_casualty.get_workspace_url()).content.decode()

    assert "16.123456" in html and "106.654321" in html


def test_another_organisations_researcher_sees_only_the_public_position(client, exact_casualty, otto):
    client.force_login(otto)

    assert client.get(exact_casualty.get_workspace_url()).status_code == 404
    [item] = client.get("/api/v1/research/casualties/").json()["results"]
    assert (item["latitude"], item["longitude"]) == PUBLIC


def test_exports_built_before_the_rounding_are_forgotten_on_upgrade(client, exact_casualty):
    from django.apps import apps
    from django.core.files.base import ContentFile

    migration = importlib.import_module("coalition.research.migrations.0002_forget_exports_with_exact_coordinates")
    job = ExportJob.objects.create(kind="casualty", format="csv", status="done")
    job.file.save("casualty-old.csv", ContentFile(b"latitude,longitude\r\n16.123456,106.654321\r\n"))
    stored = job.file.storage
    name = job.file.name
    assert stored.exists(name)

    migration.forget_old_exports(apps, None)

    assert not stored.exists(name) and not ExportJob.objects.exists()
    assert client.get(job.get_absolute_url(), {"download": 1}).status_code == 404


@pytest.mark.parametrize("model", ["casualty", "strike"])
def test_campaigners_read_the_public_position_in_the_admin_and_reviewers_the_full_one(
    client, exact_casualty, exact_strike, carol, vera, model
):
    record = exact_casualty if model == "casualty" else exact_strike
    url = reverse(f"admin:research_{model}_change", args=[record.pk])

    client.force_login(carol)
    campaigner = client.get(url)
    client.force_login(vera)
    reviewer = client.get(url)

    assert campaigner.status_code == 200 and "rounded to about 1 km" in campaigner.text
    assert "16.12" in campaigner.text and "106.65" in campaigner.text
    _assert_coarse(campaigner.content)
    assert reviewer.status_code == 200 and "16.123456" in reviewer.text and "106.654321" in reviewer.text
