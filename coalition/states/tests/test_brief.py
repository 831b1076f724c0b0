"""The country brief, in HTML and PDF: its content for a state with data in every capability, and who sees what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from coalition.core.audit import Actor
from coalition.letters.models import Message, Reply
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.research.services import casualty_totals_refresh
from coalition.research.tests.factories import CasualtyFactory
from coalition.states import obligations as ob
from coalition.states import services
from coalition.states.models import StateAsks, StateFact
from coalition.states.tests.factories import (
    MeetingFactory,
    NationalMeasureFactory,
    ParticipationFactory,
    StateFactFactory,
    StatementFactory,
    state_party,
)

pytestmark = pytest.mark.django_db

SECRET_ASK = "Ask the minister to *clear the Nong area* before 2027"


@pytest.fixture
def laos(db):
    """Laos with data in every capability: treaty, facts, measures, obligations, research, meetings, letters."""
    state = state_party(
        "LAO", signed=date(2008, 12, 3), ratified=date(2009, 3, 18), name="Lao People's Democratic Republic"
    )
    StateFactFactory(state=state, kind=StateFact.Kind.AFFECTED, source="Cluster Munition Monitor 2017")
    NationalMeasureFactory(state=state, title="National clearance strategy", source="NRA Lao PDR 2021")
    services.obligation_record_add(
        state=state, kind=ob.INITIAL_REPORT_RECEIVED, date=date(2011, 1, 27), source="UNODA reports", by=Actor.SYSTEM
    )
    CasualtyFactory(state=state, killed=2, injured=3, date=date(2019, 5, 14))
    casualty_totals_refresh()
    meeting = MeetingFactory(name="First Meeting of States Parties", start=date(2010, 11, 9))
    ParticipationFactory(meeting=meeting, state=state)
    StatementFactory(meeting=meeting, state=state, title="Statement on clearance")
    StateAsks.objects.create(state=state, text=SECRET_ASK + "\n\n<script>alert(1)</script>")
    minister = official(state=state, name="Minister of Foreign Affairs")
    action = ActionFactory(title="Clear the land", targets=[minister])
    write(action)
    Message.objects.filter(position=minister).update(status=Message.Status.SENT, sent_at=timezone.now())
    Reply.objects.create(
        action=action, position=minister, summary="We will report at the next meeting", stance="supportive"
    )
    return state


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_public_brief_shows_every_public_capability_and_nothing_restricted(client, laos):
    response = client.get("/states/LAO/brief/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Country brief" in html and "State party" in html
    assert "Initial transparency report (Article 7(1))" in html and "UNODA reports" in html
    assert "Clearance of contaminated areas (Article 4(1))" in html
    assert "Affected by cluster munition remnants" in html and "National clearance strategy" in html
    assert "2 killed, 3 injured" in html
    assert "First Meeting of States Parties" in html and "Statement on clearance" in html
    assert "Cluster Munition Monitor 2017" in html.split('id="brief-sources-heading"')[1]  # sources at the end
    for restricted in ("clear the Nong area", "Clear the land", "We will report at the next meeting", "coalition only"):
        assert restricted not in html


def test_a_coalition_user_sees_the_asks_sanitised_letters_by_action_and_replies(client, laos, carol):
    client.force_login(carol)
    response = client.get("/states/LAO/brief/")
    html = response.content.decode()
    assert "<em>clear the Nong area</em>" in html and "<script>alert(1)</script>" not in html
    assert "Clear the land" in html and "1 letter sent" in html
    assert "We will report at the next meeting" in html and "Supportive" in html
    assert "no-store" in response["Cache-Control"]


def test_an_editor_sees_the_meetings_the_coalition_may_read_and_never_another_organisations_restricted_one(
    client, laos, edna, org_a, org_b
):
    from coalition.engagement.models import Visibility
    from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory

    shared = OfficialMeetingFactory(state=laos, organisation=org_a)
    CommitmentFactory(meeting=shared, text="Table the clearance law")
    hidden = OfficialMeetingFactory(state=laos, organisation=org_b, visibility=Visibility.RESTRICTED)
    CommitmentFactory(meeting=hidden, text="Destroy the last stockpile quietly")
    client.force_login(edna)

    html = client.get("/states/LAO/brief/").content.decode()
    text = pdf_text(client.get("/states/LAO/brief.pdf").content)

    for output in (html, text):
        assert "Table the clearance law" in output and "clear the Nong area" in output
        assert "Destroy the last stockpile" not in output
    client.logout()
    public = client.get("/states/LAO/brief/").content.decode()
    assert "Table the clearance law" not in public


def test_a_supporter_signed_in_sees_only_the_public_brief(client, laos, sam):
    client.force_login(sam)
    html = client.get("/states/LAO/brief/").content.decode()
    assert "clear the Nong area" not in html and "Clear the land" not in html


def test_the_pdf_is_a4_with_page_numbers_the_date_and_sources_and_leaves_out_restricted_for_the_public(client, laos):
    response = client.get("/states/LAO/brief.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="brief-LAO.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    text = pdf_text(response.content)
    assert "Page 1" in text and "generated on" in text
    assert "Initial transparency report (Article 7(1))" in text and "First Meeting of States Parties" in text
    assert "Sources" in text and "UNODA reports" in text.split("Sources")[-1]
    for restricted in ("Nong area", "Clear the land", "We will report"):
        assert restricted not in text


def test_the_pdf_for_a_coalition_user_includes_the_restricted_sections(client, laos, carol):
    client.force_login(carol)
    text = pdf_text(client.get("/states/LAO/brief.pdf").content)
    assert "clear the Nong area" in text and "Clear the land" in text and "We will report at the next meeting" in text


def test_the_pdf_is_drawn_once_and_any_change_to_the_state_shows_at_once(client, laos, monkeypatch):
    from django.core.cache import cache

    from coalition.states import brief_pdf

    cache.clear()
    drawn: list[object] = []
    document = brief_pdf._document
    monkeypatch.setattr(brief_pdf, "_document", lambda: drawn.append(1) or document())
    first = client.get("/states/LAO/brief.pdf").content
    assert client.get("/states/LAO/brief.pdf").content == first and len(drawn) == 1  # the second from the cache

    NationalMeasureFactory(state=laos, title="Law banning cluster munitions", source="Official Gazette 2024")
    second = client.get("/states/LAO/brief.pdf").content
    text = pdf_text(second)
    assert "Law banning cluster munitions" in text and "Official Gazette 2024" in text and len(drawn) == 2
    # The asks are restricted: the public PDF's content does not change, so it comes from the cache.
    StateAsks.objects.filter(state=laos).update(text="Ask for the new survey")
    assert client.get("/states/LAO/brief.pdf").content == second and len(drawn) == 2


def test_a_coalition_users_pdf_never_reaches_the_public_from_the_cache(client, laos, carol):
    from django.core.cache import cache

    cache.clear()
    client.force_login(carol)
    assert "clear the Nong area" in pdf_text(client.get("/states/LAO/brief.pdf").content)
    client.logout()
    for _attempt in range(2):  # drawn, then from the cache
        text = pdf_text(client.get("/states/LAO/brief.pdf").content)
        assert "Nong area" not in text and "Clear the land" not in text and "First Meeting of States Parties" in text


def _embedded_glyph_names(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names: set[str] = set()
    resources: Any = reader.pages[0]["/Resources"]
    for font in resources["/Font"].values():
        descendant = font.get_object().get("/DescendantFonts")
        if not descendant:
            continue
        file = descendant[0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        names |= set(TTFont(io.BytesIO(file)).getGlyphOrder())
    return names


def test_the_arabic_pdf_is_shaped_and_runs_right_to_left(client, laos):
    response = client.get("/ar/states/LAO/brief.pdf")
    text = pdf_text(response.content)
    assert "دولة طرف" in text  # the status, in Arabic
    # Shaped: HarfBuzz picked the joined (initial, medial, final) forms, U+FE70–U+FEFF, which an unshaped text
    # (one glyph per character) never uses.
    glyphs = _embedded_glyph_names(response.content)
    assert any(name.startswith("uniFE") and "FE70" <= name[3:7] <= "FEFF" for name in glyphs), sorted(glyphs)[:40]
    # Right to left: the Arabic status line is set against the right margin.
    reader = PdfReader(io.BytesIO(response.content))
    positions: list[float] = []
    reader.pages[0].extract_text(
        visitor_text=lambda t, cm, tm, font, size: positions.append(tm[4]) if "د" in t or "ﺩ" in t else None
    )
    assert positions and max(positions) > 300  # points from the left edge of a 595-point page


def test_an_unknown_state_has_no_brief(client, laos):
    assert client.get("/states/XXX/brief/").status_code == 404
    assert client.get("/states/XXX/brief.pdf").status_code == 404


def test_every_profile_links_to_its_brief(client, laos):
    html = client.get("/states/LAO/").content.decode()
    assert 'href="/states/LAO/brief/"' in html


@pytest.mark.parametrize("n", [1, 10])
def test_the_brief_runs_a_fixed_number_of_queries(client, laos, carol, django_assert_num_queries, n):
    from coalition.engagement.tests.factories import CommitmentFactory

    for i in range(n):
        ParticipationFactory(state=laos, meeting=MeetingFactory(name=f"Meeting {i}"))
        NationalMeasureFactory(state=laos)
        CommitmentFactory(meeting__state=laos)
    with django_assert_num_queries(8 + 3):  # the profile's eight, the research summary's three
        assert client.get("/states/LAO/brief/").status_code == 200
    client.force_login(carol)
    # + asks, letters, replies; meetings with officials, officials met, commitments; session, user, OTP, permissions
    with django_assert_num_queries(8 + 3 + 3 + 3 + 5):
        assert client.get("/states/LAO/brief/").status_code == 200
