"""Printing the briefs for a treaty meeting: one PDF of the country briefs of every state assigned in the
delegation, drawn by a task for the person who asked, in their language and with what they may read."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from coalition.engagement import delegation_briefs, delegations
from coalition.engagement.models import DelegationBriefs, Visibility
from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory
from coalition.states.models import StateAsks
from coalition.states.tests.factories import MeetingFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation(carol, edna, org_a, org_b):
    """The delegation to the Fourteenth MSP: Edna covers Norway and Laos. Both states have the campaign's asks;
    Beta Relief recorded a restricted meeting with Norway's officials (Alpha Aid's editor may not read it)."""
    today = timezone.localdate()
    msp = MeetingFactory(slug="msp-14", name="Fourteenth Meeting of States Parties", start=today, end=today)
    norway = StateFactory(iso3="NOR", name="Norway")
    laos = StateFactory(iso3="LAO", name="Laos")
    StateAsks.objects.create(state=norway, text="Press for the Article 7 report on time")
    StateAsks.objects.create(state=laos, text="Ask for the clearance plan")
    restricted = OfficialMeetingFactory(state=norway, organisation=org_b, visibility=Visibility.RESTRICTED)
    CommitmentFactory(meeting=restricted, text="Destroy the last stockpile by June")
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegate = delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    for state in (norway, laos):
        delegations.assignment_set(delegation=delegation, delegate=delegate, state=state, asks="", by=carol)
    return delegation


def _ask(client, user) -> str:
    client.force_login(user)
    response = client.post("/meetings/msp-14/delegation/briefs/")
    assert response.status_code == 302
    return response["Location"]


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _download(client, url: str) -> list[str]:
    response = client.get(url + "?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename=" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    return _pages(b"".join(response.streaming_content))


def _starts(pages: list[str], name: str) -> list[int]:
    return [number for number, text in enumerate(pages) if text.lstrip().startswith(f"Country brief: {name}")]


def test_a_campaigner_prints_the_briefs_of_every_assigned_state_in_one_pdf(client, carol, delegation, run_tasks):
    client.force_login(carol)
    assert "Print the briefs for this meeting" in client.get("/meetings/msp-14/delegation/").content.decode()

    url = _ask(client, carol)
    waiting = client.get(url).content.decode()
    assert "Drawing the briefs: 0 of 2 states done." in waiting and "js/refresh.js" in waiting
    assert "Download the PDF" not in waiting

    run_tasks()
    ready = client.get(url).content.decode()
    assert "The briefs of 2 states are ready, in one PDF." in ready and "js/refresh.js" not in ready
    job = DelegationBriefs.objects.get()
    assert (job.requested_by, job.status, job.states_done) == (carol, DelegationBriefs.Status.DONE, 2)

    pages = _download(client, url)
    norway, laos = _starts(pages, "Norway"), _starts(pages, "Laos")
    # Each state starts on a page of its own (the first page is the first state's), and only one page each.
    assert len(norway) == 1 and len(laos) == 1 and norway != laos and 0 in norway + laos
    text = "\n".join(pages)
    # Restricted parts a campaigner may read: the asks, and another organisation's restricted meeting.
    assert "Press for the Article 7 report on time" in text and "Ask for the clearance plan" in text
    assert "Destroy the last stockpile by June" in text


def test_only_the_person_who_asked_sees_the_progress_and_downloads_the_pdf(
    client, carol, edna, alice, delegation, run_tasks
):
    url = _ask(client, carol)
    run_tasks()
    for other in (edna, alice):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.get(url + "?download=1").status_code == 404
    client.logout()
    assert client.get(url + "?download=1").status_code == 302  # to log in


def test_the_pdf_holds_only_what_the_person_who_asked_may_read(client, edna, org_a, delegation, run_tasks):
    # An editor of Alpha Aid reads the coalition's asks, not Beta Relief's restricted meeting.
    url = _ask(client, edna)
    run_tasks()
    text = "\n".join(_download(client, url))
    assert "Press for the Article 7 report on time" in text
    assert "Destroy the last stockpile by June" not in text

    # Asked, then no longer an editor when the task runs: the public briefs, without any restricted part.
    DelegationBriefs.objects.all().delete()
    url = _ask(client, edna)
    org_a.editors.remove(edna)
    run_tasks()
    job = DelegationBriefs.objects.get()
    assert job.status == DelegationBriefs.Status.DONE
    text = "\n".join(_pages(job.file.read()))
    assert "Country brief: Norway" in text
    for restricted in ("Press for the Article 7 report", "Ask for the clearance plan", "restricted sections"):
        assert restricted not in text
    client.force_login(edna)
    assert client.get(url).status_code == 403  # and outside the coalition, no page of the delegation at all


def test_the_pdf_is_in_the_language_of_the_person_who_asked(client, carol, delegation, run_tasks):
    client.force_login(carol)
    response = client.post("/fr/meetings/msp-14/delegation/briefs/")
    run_tasks()
    assert DelegationBriefs.objects.get().language == "fr"
    assert "Télécharger le PDF" in client.get(response["Location"]).content.decode()
    pages = _download(client, response["Location"])
    assert pages[0].lstrip().startswith("Fiche pays")


def test_asking_twice_while_it_is_drawn_reuses_the_request(client, carol, delegation, run_tasks):
    first = _ask(client, carol)
    assert _ask(client, carol) == first
    assert DelegationBriefs.objects.count() == 1
    assert run_tasks() == 1


def test_a_delegation_with_no_assigned_state_has_nothing_to_print(client, carol, run_tasks):
    msp = MeetingFactory(slug="msp-15")
    delegations.delegation_create(meeting=msp, by=carol)
    client.force_login(carol)
    response = client.post("/meetings/msp-15/delegation/briefs/", follow=True)
    assert "No state is assigned in this delegation yet" in response.content.decode()
    assert not DelegationBriefs.objects.exists() and run_tasks() == 0
    assert client.get("/meetings/msp-15/delegation/briefs/").status_code == 405


def test_the_progress_page_makes_a_fixed_number_of_queries(
    client, carol, delegation, run_tasks, django_assert_num_queries
):
    url = _ask(client, carol)
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    run_tasks()
    with django_assert_num_queries(6):
        assert "Download the PDF" in client.get(url).content.decode()


def test_a_build_that_fails_says_so_and_asking_again_starts_afresh(client, carol, delegation, run_tasks, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the font is missing")

    monkeypatch.setattr("coalition.states.brief.state_brief", broken)
    url = _ask(client, carol)
    run_tasks()
    page = client.get(url).content.decode()
    assert "The briefs could not be drawn" in page and "js/refresh.js" not in page
    assert client.get(url + "?download=1").status_code == 404

    monkeypatch.undo()
    assert _ask(client, carol) != url
    run_tasks()
    assert DelegationBriefs.objects.filter(status=DelegationBriefs.Status.DONE).count() == 1


def test_a_pdf_gone_from_the_server_is_a_404_that_says_so(client, carol, delegation, run_tasks):
    url = _ask(client, carol)
    run_tasks()
    job = DelegationBriefs.objects.get()
    job.file.storage.delete(job.file.name)
    response = client.get(url + "?download=1")
    assert response.status_code == 404
    assert "This PDF is no longer on the server. Print the briefs again" in response.content.decode()


def test_printed_briefs_are_deleted_with_their_file_after_the_retention_days(
    client, carol, delegation, run_tasks, settings
):
    from datetime import timedelta

    from coalition.engagement.delegation_briefs import purge_printed_briefs

    settings.ENGAGEMENT_PRINTED_BRIEFS_DAYS = 30
    old_url = _ask(client, carol)
    run_tasks()
    old = DelegationBriefs.objects.get()
    DelegationBriefs.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh_url = _ask(client, carol)
    run_tasks()
    fresh = DelegationBriefs.objects.exclude(pk=old.pk).get()
    assert old.file.storage.exists(old.file.name) and fresh.file.storage.exists(fresh.file.name)

    assert purge_printed_briefs.call() == "1 printed briefs deleted"
    assert list(DelegationBriefs.objects.all()) == [fresh]
    assert not old.file.storage.exists(old.file.name) and fresh.file.storage.exists(fresh.file.name)
    assert client.get(old_url).status_code == 404 and client.get(fresh_url + "?download=1").status_code == 200
    assert delegation_briefs.delegation_briefs_purge() == 0  # nothing left that old


def test_the_printed_briefs_purge_runs_daily_from_the_workers_schedule():
    from datetime import timedelta

    from coalition.core.scheduler import registered_jobs

    [job] = [job for job in registered_jobs() if job.name == "engagement.purge_printed_briefs"]
    assert job.every == timedelta(days=1)
