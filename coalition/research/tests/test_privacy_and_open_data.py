"""Personal data never leaves in a public output; the API and the exports give approved, anonymised records."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from coalition.core.audit import Actor
from coalition.lib.tests.helpers import body
from coalition.research import exporting
from coalition.research.importing import writer
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, CasualtyTotal, ExportJob, Status
from coalition.research.tests.factories import CasualtyFactory, ReportFactory

pytestmark = pytest.mark.django_db

NAME, ADDRESS = "Khamla Vongsa", "House 7, Ban Nakham"


@pytest.fixture
def casualty(states, refresh_totals):
    record = CasualtyFactory(name=NAME, address=ADDRESS, killed=1)
    ReportFactory(title="Public report").casualties.add(record)
    refresh_totals()
    return record


def _assert_private(content: bytes | str) -> None:
    text = content if isinstance(content, str) else content.decode()
    assert NAME not in text and ADDRESS not in text and "Khamla" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/research/",
        "/research/?state=LAO",
        "/research/reports/",
        "/api/v1/research/casualties/",
        "/api/v1/research/casualties/?format=csv",
        "/api/v1/research/casualties/summary/",
        "/api/schema/?format=json",
    ],
)
def test_personal_data_is_in_no_public_page_nor_api_answer(client, casualty, url):
    response = client.get(url)
    assert response.status_code == 200
    _assert_private(body(response).encode())


def test_personal_data_is_not_in_the_api_detail(client, casualty):
    response = client.get(f"/api/v1/research/casualties/{casualty.pk}/")
    assert response.status_code == 200 and response.json()["killed"] == 1
    assert "name" not in response.json() and "address" not in response.json()
    _assert_private(response.content)


@pytest.mark.parametrize("fmt", ["csv", "hxl", "geojson"])
@pytest.mark.parametrize("kind", ["casualty", "strike", "area"])
def test_personal_data_is_in_no_export(client, casualty, fmt, kind):
    response = client.get(reverse("research:export"), {"kind": kind, "format": fmt})
    assert response.status_code == 200
    _assert_private(b"".join(response.streaming_content))


def test_another_organisations_researcher_and_a_campaigner_do_not_see_personal_data(client, casualty, otto, carol):
    for user in (otto, carol):
        client.force_login(user)
        response = client.get(casualty.get_workspace_url())
        assert response.status_code == 404
        _assert_private(client.get("/research/").content)


def test_the_submitting_organisations_researcher_and_a_reviewer_see_personal_data(client, casualty, rita, vera, alpha):
    Casualty.objects.filter(pk=casualty.pk).update(organisation=alpha)
    for user in (rita, vera):
        client.force_login(user)
        assert NAME in client.get(casualty.get_workspace_url()).content.decode()


def test_the_api_lists_only_approved_records_filtered_by_state_and_date(client, states, refresh_totals):
    CasualtyFactory(date=date(2019, 1, 1))
    CasualtyFactory(date=date(2021, 1, 1), state=states["SYR"], latitude=35, longitude=38)
    CasualtyFactory(status=Status.SUBMITTED)
    refresh_totals()
    assert client.get("/api/v1/research/casualties/").json()["count"] == 2
    assert client.get("/api/v1/research/casualties/?state=SYR").json()["results"][0]["state"] == "SYR"
    assert client.get("/api/v1/research/casualties/?date_from=2020-01-01").json()["count"] == 1
    assert client.get("/api/v1/research/casualties/?date_from=yesterday").status_code == 400


def test_the_summary_gives_totals_by_state_and_year_of_approved_records(client, states, refresh_totals):
    CasualtyFactory(killed=2, injured=1, date=date(2019, 1, 1))
    CasualtyFactory(killed=1, injured=0, date=date(2019, 6, 1), sex="female")
    CasualtyFactory(killed=5, date=date(2020, 1, 1))
    CasualtyFactory(killed=99, status=Status.SUBMITTED)
    refresh_totals()
    rows = client.get("/api/v1/research/casualties/summary/").json()
    assert [{k: row[k] for k in ("state", "year", "killed", "injured", "records")} for row in rows] == [
        {"state": "LAO", "year": 2019, "killed": 3, "injured": 1, "records": 2},
        {"state": "LAO", "year": 2020, "killed": 5, "injured": 0, "records": 1},
    ]
    # The breakdowns: a boy killed with another injured (the factory's description), and a girl killed.
    assert (rows[0]["killed_boys"], rows[0]["injured_boys"], rows[0]["killed_girls"]) == (2, 1, 1)
    assert (rows[0]["killed_children"], rows[0]["killed_female"], rows[0]["killed_civilians"]) == (3, 1, 3)
    assert client.get("/api/v1/research/casualties/summary/?year_from=2020").json()[0]["year"] == 2020


@pytest.mark.parametrize("year", ["²", "twenty", "9" * 30])
def test_a_summary_year_that_is_not_a_year_is_a_400(client, states, year):
    # "²" counts as a digit for str.isdigit() but not for int(): it once reached a server error.
    response = client.get("/api/v1/research/casualties/summary/", {"year_from": year})
    assert response.status_code == 400
    assert list(response.json()) == ["year_from"] and "whole number" in response.json()["year_from"][0]


def test_the_summary_answers_in_a_fixed_number_of_queries(client, states, refresh_totals, django_assert_num_queries):
    for year in range(2000, 2020):
        CasualtyFactory(date=date(year, 1, 1))
    refresh_totals()
    with django_assert_num_queries(1):
        client.get("/api/v1/research/casualties/summary/")


def test_an_hxl_export_imports_back_to_the_same_figures(client, states, refresh_totals):
    CasualtyFactory(killed=2, injured=3, date=date(2018, 2, 3), activity="Fishing, at dawn", name=NAME)
    CasualtyFactory(killed=1, date=date(2020, 5, 6), state=states["SYR"], latitude=35.1, longitude=38.2, sex="female")
    refresh_totals()
    before = sorted(CasualtyTotal.objects.values_list("state_id", "year", "killed", "injured", *BREAKDOWN_FIELDS))
    exported = b"".join(client.get(reverse("research:export"), {"kind": "casualty", "format": "hxl"}).streaming_content)
    assert exported.decode().splitlines()[1].startswith("#meta+id,#country+code,#date+occurred")

    Casualty.objects.all().delete()
    report = writer.casualties_import(
        handle=io.StringIO(exported.decode()), dry_run=False, approve=True, by=Actor.SYSTEM
    )
    assert report.hxl and report.imported == 2
    after = sorted(CasualtyTotal.objects.values_list("state_id", "year", "killed", "injured", *BREAKDOWN_FIELDS))
    assert after == before
    fishing = Casualty.objects.get(state_id="LAO")
    assert (fishing.activity, fishing.date, fishing.latitude, fishing.name) == (
        "Fishing, at dawn",
        date(2018, 2, 3),
        16.5,
        "",
    )


def test_the_geojson_export_has_a_feature_per_approved_record(client, states):
    CasualtyFactory(latitude=16.0, longitude=106.5)
    CasualtyFactory(latitude=None, longitude=None)
    CasualtyFactory(status=Status.DRAFT)
    data = json.loads(
        b"".join(client.get(reverse("research:export"), {"kind": "casualty", "format": "geojson"}).streaming_content)
    )
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [106.5, 16.0]}
    assert data["features"][1]["geometry"] is None


def test_a_large_export_runs_as_a_task_and_gives_a_download_link(
    client, states, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.RESEARCH_EXPORT_SYNC_ROWS = 2
    CasualtyFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("research:export"), {"kind": "casualty", "format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert "being prepared" in client.get(job.get_absolute_url()).content.decode()
    run_tasks()
    assert "ready: 3 records" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(job.get_absolute_url(), {"download": 1})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == 4 and "name" not in rows[0]
    # Asked again, the same job is reused rather than built twice.
    client.get(reverse("research:export"), {"kind": "casualty", "format": "csv"})
    assert ExportJob.objects.count() == 1


def test_exporting_needs_a_kind_and_a_format(client, db):
    assert client.get(reverse("research:export"), {"kind": "people", "format": "csv"}).status_code == 400
    assert exporting.FORMATS["hxl"] == "text/csv"
