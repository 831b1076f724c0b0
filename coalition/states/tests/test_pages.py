"""The public pages over HTTP: list with filters, map and chart, profile with history, meetings, home panel."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coalition.states.models import Participation, ReferenceRelease, StateFact
from coalition.states.tests.factories import (
    ALL_ISO3,
    MeetingFactory,
    NationalMeasureFactory,
    ParticipationFactory,
    StateFactFactory,
    StateFactory,
    StatementFactory,
    TreatyEvent,
    signatory,
    state_party,
)

pytestmark = pytest.mark.django_db


def shape(html: str, iso3: str) -> str:
    """The state's shape on the world map: its link, classes and title."""
    match = re.search(
        rf'<a href="/states/{iso3}/" tabindex="-1" class="([^"]+)" data-code="\w\w"><title>([^<]+)</title>', html
    )
    assert match, f"no shape for {iso3}"
    return match.group(0)


def test_the_states_page_lists_every_state_with_its_status_and_the_as_of_date(client, reference):
    response = client.get("/states/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-count="state_party">112</strong>' in html
    assert '<strong data-count="signatory">12</strong>' in html
    assert '<strong data-count="non_signatory">73</strong>' in html
    assert "Reference data current as of Sept. 5, 2025." in html
    # A shape for every state with an outline, and a dot for the few too small to see or tap.
    shapes = html.count('class="world-map__region world-map__region--')
    assert 160 <= shapes <= 197
    assert 'class="world-map__marker world-map__marker--state_party"' in html  # e.g. Malta, Andorra


def test_the_map_colours_norway_as_a_state_party_with_an_accessible_title_and_a_legend(client, reference):
    html = client.get("/states/").content.decode()
    norway = shape(html, "NOR")
    assert 'class="world-map__region world-map__region--state_party"' in norway
    assert "<title>Norway: State party</title>" in norway
    assert "world-map__region--signatory" in shape(html, "AGO")
    assert "world-map__region--non_signatory" in shape(html, "LTU")
    legend = html.split('<ul class="legend">', 1)[1].split("</ul>", 1)[0]
    assert "State party" in legend and "Signatory" in legend and "Non-signatory" in legend


def test_filters_narrow_the_table_and_dim_the_other_states_on_the_map(client, reference):
    html = client.get("/states/", {"status": "signatory", "region": "Africa"}).content.decode()
    assert "8 states" in html
    table = html.split('class="table states-table"')[1]
    assert "Angola" in table and "Norway" not in table and "Cyprus" not in table
    assert "is-dimmed" in shape(html, "NOR")
    assert "is-dimmed" not in shape(html, "AGO")


def test_the_facts_filter_finds_states_affected_by_remnants(client, reference):
    html = client.get("/states/", {"fact": "affected"}).content.decode()
    table = html.split('class="table states-table"')[1]
    assert "Lao" in table and "Norway" not in table


def test_the_progress_chart_steps_up_to_the_current_counts(client, reference):
    html = client.get("/states/").content.decode()
    assert '<title id="chart-title">States parties and signatories over time</title>' in html
    party = re.search(r'<path class="chart__line chart__line--state_party" d="([^"]+)"', html).group(1)
    assert party.startswith("M") and party.count("V") > 50
    assert "112 States parties" in html and "12 Signatories" in html


def test_norways_profile_shows_it_as_a_state_party_with_its_signature_and_ratification_dates(client, reference):
    html = client.get("/states/NOR/").content.decode()
    assert "<h1>Norway</h1>" in html
    assert '<span class="status status--state_party">State party</span>' in html
    assert '<dd data-field="signed">Dec. 3, 2008</dd>' in html
    assert '<dd data-field="ratified">Dec. 3, 2008</dd>' in html
    assert "Aug. 1, 2010" in html
    assert "Reference data current as of Sept. 5, 2025." in html
    assert "the-monitor.org/en-gb/reports/2022/norway" in html


def test_a_lowercase_code_redirects_to_the_profile(client, reference):
    response = client.get("/states/nor/")
    assert response.status_code == 301 and response["Location"] == "/states/NOR/"
    assert client.get("/states/XXX/").status_code == 404


def test_lithuanias_page_tells_the_history_of_its_withdrawal(client, reference):
    html = client.get("/states/LTU/").content.decode()
    assert "Non-signatory" in html
    assert "the withdrawal took effect on March 6, 2025" in html
    assert "exact dates of its earlier signature and ratification are not in the reference data" in html
    assert "Withdrawal took effect" in html


def test_a_derived_entry_into_force_is_marked_on_the_profile(client, reference):
    html = client.get("/states/BLZ/").content.decode()
    assert "derived by Article 17 from the date of deposit" in html


def test_the_profile_shows_facts_measures_and_meetings(client):
    state = state_party("NOR")
    StateFactFactory(state=state, kind=StateFact.Kind.STOCKPILER, value=StateFact.Value.FORMER, source="Monitor 2010")
    NationalMeasureFactory(state=state, title="Destruction of the stockpile", submunitions_destroyed=359_000)
    meeting = MeetingFactory(name="Third Meeting of States Parties")
    ParticipationFactory(meeting=meeting, state=state)
    StatementFactory(meeting=meeting, state=state, title="Opening statement")

    html = client.get("/states/NOR/").content.decode()
    assert "Stockpiler</strong>: Formerly" in html and "Monitor 2010" in html
    assert "Destruction of the stockpile" in html and "359000" in html
    assert "Third Meeting of States Parties" in html and "Opening statement" in html


def test_the_facts_filter_finds_stockpilers_producers_and_past_users_from_the_shipped_facts(client, reference):
    for fact, iso3 in [("stockpiler", "USA"), ("producer", "CHN"), ("past_user", "GBR"), ("transferred", "MDA")]:
        html = client.get(f"/states/?fact={fact}").content.decode()
        assert f'href="/states/{iso3}/"' in html.split('id="states-result-count"')[1], fact


def test_the_united_kingdoms_profile_shows_each_kind_of_fact_once_with_every_source(client, reference):
    html = client.get("/states/GBR/").content.decode()
    assert html.count('data-fact="affected"') == 1
    assert "Cluster Munition Monitor 2017" in html and "Mine Action Review" in html
    assert html.count('data-fact="stockpiler"') == 1
    assert "the-monitor.org/en-gb/reports/2022/united-kingdom" in html


def test_norways_profile_shows_its_stockpile_destruction_and_its_obligations(client, reference):
    html = client.get("/states/NOR/").content.decode()
    assert "Stockpile destruction completed" in html and "52,190 cluster munitions" in html
    assert "Initial transparency report (Article 7(1))" in html
    section = html.split('data-article="3.2"')[1].split("</tr>")[0]
    assert '<tr data-article="3.2" data-status="met">' in html
    assert "in 2010" in section and "the-monitor.org" in section
    assert "2018" in section  # the Article 3 deadline, eight years after 1 August 2010


def test_a_signatorys_profile_says_why_it_has_no_deadline(client, reference):
    html = client.get("/states/IDN/").content.decode()
    assert "Not a state party: the Convention sets it no deadline." in html


def test_the_obligations_page_lists_state_parties_and_filters_overdue_by_article(client, reference):
    html = client.get("/states/obligations/").content.decode()
    assert 'data-iso3="NOR" data-article="3.2" data-status="met"' in html
    assert 'data-iso3="IDN"' not in html
    html = client.get("/states/obligations/?status=overdue&article=4.1").content.decode()
    rows = re.findall(r'data-iso3="(\w+)" data-article="([\d.]+)" data-status="(\w+)"', html)
    assert rows and all(article == "4.1" and status == "overdue" for _, article, status in rows)
    bad = client.get("/states/obligations/?status=late")
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_state_names_are_translated(client, reference):
    response = client.get("/fr/states/NOR/")
    assert "<h1>Norvège</h1>" in response.content.decode()
    response = client.get("/ar/states/VAT/")
    assert "الكرسي الرسولي" in response.content.decode()
    assert "<h1>Holy See</h1>" in client.get("/states/VAT/").content.decode()


def test_the_meetings_page_lists_the_reference_meetings_with_participants(client, reference):
    from coalition.states.models import Meeting

    first = Meeting.objects.get(name__startswith="First Meeting of States Parties")
    ParticipationFactory(meeting=first, state=StateFactory(iso3="NOR"))
    ParticipationFactory(meeting=first, state=StateFactory(iso3="USA"), role=Participation.Role.OBSERVER)
    html = client.get("/meetings/").content.decode()
    assert html.count("<tr>") == 22
    assert "Vientiane" in html and "1 participating, 1 observing" in html

    detail = client.get(first.get_absolute_url()).content.decode()
    assert "Norway" in detail and "United States</a> (observer)" in detail


def test_the_home_page_shows_the_live_counts_and_the_chart(client, reference):
    html = client.get("/").content.decode()
    assert '<strong data-count="state_party">112</strong>' in html
    assert "chart__line--state_party" in html
    assert 'href="/states/"' in html and 'href="/meetings/"' in html


def _populate(n_states: int) -> None:
    meeting = MeetingFactory(slug="msp")
    # Norway gets its own events below; the factory's sequence must not hand it out first.
    codes = [code for code in ALL_ISO3 if code != "NOR"][:n_states]
    for i, code in enumerate(codes):
        state = (
            state_party(code, signed=date(2009, 1, 1 + i % 28), ratified=date(2011, 1, 1 + i % 28))
            if i % 2
            else signatory(code)
        )
        NationalMeasureFactory(state=state)
        StateFactFactory(state=state, kind=StateFact.Kind.AFFECTED)
        ParticipationFactory(meeting=meeting, state=state)
        StatementFactory(meeting=meeting, state=state)
    state_party("NOR")
    NationalMeasureFactory.create_batch(n_states, state_id="NOR")
    for i in range(n_states):
        TreatyEvent.objects.create(
            state_id="NOR", kind="declaration_endorsed", date=date(2008, 2, 22), title=f"Decl {i}"
        )
        ParticipationFactory(state_id="NOR")
    ReferenceRelease.objects.create(as_of=date(2025, 9, 5), source="test")


# "/" is 3 for the states panel (counts, as-of date, events) + 2 for the members panel + 1 for next events, + 4 of
# the site app (live actions, the states map, research figures, news; coalition/site/tests/test_home.py).
@pytest.mark.parametrize("n_states", [3, 30])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/states/", 3),
        ("/states/?status=state_party&fact=affected", 4),
        ("/states/NOR/", 8 + 3),  # + the research summary (coalition.research)
        ("/states/obligations/", 5),
        ("/states/obligations/?status=overdue&article=7.1&due=this_year", 5),
        ("/", 3 + 2 + 1 + 4),  # states panel 3, members panel 2, next events 1, the site's panels 4
        ("/meetings/", 2),
        ("/meetings/msp/", 4),
    ],
)
def test_public_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, n_states, url, queries):
    _populate(n_states)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [("fr", "Norvège", "État partie"), ("es", "Noruega", "Estado parte"), ("ar", "النرويج", "دولة طرف")],
)
def test_the_profile_is_translated_in_every_interface_language(client, reference, language, heading, status):
    html = client.get(f"/{language}/states/NOR/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<span class="status status--state_party">{status}</span>' in html


@pytest.mark.parametrize(
    ("language", "heading", "overdue"),
    [
        ("fr", "Obligations des États parties au traité", "En retard"),
        ("es", "Obligaciones de los Estados partes en el tratado", "Atrasada"),
        ("ar", "التزامات الدول الأطراف في المعاهدة", "متأخر"),
    ],
)
def test_the_obligations_table_and_the_brief_are_translated(client, language, heading, overdue):
    state_party("NOR", ratified=date(2008, 12, 3))
    html = client.get(f"/{language}/states/obligations/").content.decode()
    assert f"<h1>{heading}</h1>" in html and overdue in html
    brief = client.get(f"/{language}/states/NOR/brief/").content.decode()
    assert {"fr": "Fiche pays", "es": "Ficha de país", "ar": "موجز البلد"}[language] in brief
