"""/research/: totals, charts and map from approved records only, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from coalition.research import selectors
from coalition.research.models import Status, Strike
from coalition.research.tests.factories import AreaFactory, CasualtyFactory, ReportFactory, StrikeFactory
from coalition.states.models import State

pytestmark = pytest.mark.django_db


def _records(states, n: int) -> None:
    for i in range(n):
        CasualtyFactory(
            state=states["LAO" if i % 2 else "SYR"],
            date=date(2010 + i % 10, 1, 1),
            sex="female" if i % 3 else "male",
            killed=1,
            injured=i % 2,
        )
        StrikeFactory(state=states["LAO"], latitude=15 + i % 5, longitude=106 + i % 3)
    AreaFactory(state=states["LAO"], polygon=[[106.0, 15.0], [106.1, 15.0], [106.1, 15.1], [106.0, 15.0]])
    ReportFactory(title=f"Report {n}")


def test_the_page_shows_totals_of_approved_records_only(client, states, refresh_totals):
    CasualtyFactory(killed=3, injured=4)
    CasualtyFactory(killed=100, status=Status.SUBMITTED)
    CasualtyFactory(killed=100, status=Status.REJECTED)
    refresh_totals()
    page = client.get(reverse("research:index"))
    html = page.content.decode()
    assert '<dd id="total-killed">3</dd>' in html and '<dd id="total-injured">4</dd>' in html
    assert '<dd id="total-casualties">7</dd>' in html


def test_the_page_draws_its_charts_and_map_as_inline_svg_with_no_external_address(client, states, refresh_totals):
    _records(states, 6)
    refresh_totals()
    html = client.get(reverse("research:index")).content.decode()
    assert html.count("<svg") >= 3
    assert 'class="world-map__marker world-map__marker--strike"' in html
    assert 'class="world-map__outline"' in html and 'class="bar-killed"' in html
    own = html.replace("http://www.w3.org", "").replace(settings.SITE_URL, "")  # its own address (hreflang, canonical)
    assert "http://" not in own and "https://" not in own


def test_filters_by_state_and_period_narrow_the_figures(client, states, refresh_totals):
    _records(states, 10)
    refresh_totals()
    laos = client.get(reverse("research:index"), {"state": "LAO"}).context["figures"]
    assert laos.killed == 5
    period = client.get(reverse("research:index"), {"year_from": 2012, "year_to": 2013}).context["figures"]
    assert period.killed == 2
    assert [row["year"] for row in period.by_year] == [2012, 2013]


@pytest.mark.parametrize("volume", [2, 30])
def test_the_page_runs_the_same_number_of_queries_whatever_the_volume(
    client, states, refresh_totals, volume, django_assert_num_queries
):
    _records(states, volume)
    refresh_totals()
    with django_assert_num_queries(12):
        client.get(reverse("research:index"))
    with django_assert_num_queries(12):
        client.get(reverse("research:index"), {"state": "LAO", "year_from": 2011})


def test_the_map_groups_many_strikes_into_a_few_hundred_circles_on_the_server(client, states):
    lao = states["LAO"]
    source = StrikeFactory().source
    Strike.objects.bulk_create(
        Strike(
            state=lao,
            source=source,
            date=date(2015, 1, 1),
            latitude=14 + (i % 80) / 10,
            longitude=100 + (i // 80 % 80) / 10,
            status=Status.APPROVED,
        )
        for i in range(30_000)
    )
    context = client.get(reverse("research:index")).context
    assert context["figures"].strikes == 30_001
    strikes = [marker for marker in context["research_map"].markers if marker.kind == "strike"]
    assert 1 <= len(strikes) <= 200
    assert sum(marker.count for marker in strikes) == 30_001


def test_reports_are_listed_only_once_approved(client, states):
    ReportFactory(title="Approved survey")
    hidden = ReportFactory(title="Draft survey", status=Status.DRAFT)
    html = client.get(reverse("research:reports")).content.decode()
    assert "Approved survey" in html and "Draft survey" not in html
    assert client.get(reverse("research:report", args=[hidden.pk])).status_code == 404


def test_a_states_profile_summary_counts_its_approved_records(
    client, states, refresh_totals, django_assert_num_queries
):
    CasualtyFactory(killed=2, injured=1)
    CasualtyFactory(killed=50, status=Status.SUBMITTED)
    StrikeFactory()
    refresh_totals()
    with django_assert_num_queries(3):
        summary = selectors.state_summary("LAO")
    html = render_to_string("research/includes/state_summary.html", {"research_summary": summary})
    assert "2 killed, 1 injured, 1 strikes" in html
    assert "/research/?state=LAO" in html

    profile = client.get("/states/LAO/").content.decode()
    assert "2 killed, 1 injured, 1 strikes" in profile


def test_the_figures_name_states_in_the_readers_language(client, states, refresh_totals):
    CasualtyFactory(killed=3)
    # The reference data's English name, as `make run` loads it.
    State.objects.filter(iso3="LAO").update(name="Lao People's Democratic Republic")
    refresh_totals()
    html = client.get("/fr/research/").content.decode()

    from django.utils import translation
    from django_countries import countries

    with translation.override("fr"):
        french = str(countries.name("LA"))
    assert french in html
    assert "Lao People's Democratic Republic" not in html


def test_the_page_shows_the_breakdowns_by_sex_age_and_status_with_the_unknown_rest(client, states, refresh_totals):
    CasualtyFactory(killed=4, injured=0, killed_female=3, killed_girls=1, killed_women=2, killed_children=1,
                    killed_adults=2, killed_civilians=4, killed_male=0, killed_boys=0)  # fmt: skip
    CasualtyFactory(killed=0, injured=2, sex="male", age_group="adult", civilian_status="military")
    refresh_totals()

    page = client.get(reverse("research:index"))
    tables = {table["key"]: {row.name: (row.killed, row.injured) for row in table["rows"]} for table in
              page.context["breakdowns"]}  # fmt: skip

    assert tables["sex_and_age"] == {"men": (0, 2), "women": (2, 0), "boys": (0, 0), "girls": (1, 0), "unknown": (1, 0)}
    assert tables["sex"] == {"female": (3, 0), "male": (0, 2), "unknown": (1, 0)}
    assert tables["status"] == {"civilians": (4, 0), "military": (0, 2), "deminers": (0, 0), "unknown": (0, 0)}
    html = page.content.decode()
    assert 'id="breakdown-sex_and_age"' in html and "Girls" in html
    assert page.context["figures"].civilian_percent == 67  # 4 civilians of 6 whose status is known
