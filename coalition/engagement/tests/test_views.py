from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.engagement.models import Commitment, FollowUp, MeetingAttachment, OfficialMeeting, Visibility
from coalition.engagement.tests.factories import (
    CommitmentFactory,
    FollowUpFactory,
    OfficialMeetingFactory,
    OfficialMetFactory,
)
from coalition.letters.tests.factories import official
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

SECRET = "Confidential: the deputy's name"


@pytest.fixture
def meetings(org_a, org_b, norway):
    """An open meeting of Beta Relief and a restricted one of Alpha Aid, each with a commitment."""
    open_meeting = OfficialMeetingFactory(state=norway, organisation=org_b, outcome="Open outcome")
    OfficialMetFactory(meeting=open_meeting, name="Open Official")
    CommitmentFactory(meeting=open_meeting, text="Open commitment")
    restricted = OfficialMeetingFactory(
        state=norway, organisation=org_a, outcome=SECRET, visibility=Visibility.RESTRICTED
    )
    OfficialMetFactory(meeting=restricted, name="Hidden Official")
    CommitmentFactory(meeting=restricted, text="Hidden commitment")
    return {"open": open_meeting, "restricted": restricted}


PAGES = ["/engagement/", "/engagement/meetings/", "/engagement/follow-ups/", "/engagement/meetings/new/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_for_the_coalition_only(client, path, sam, rita, edna, carol):
    assert client.get(path).status_code == 302
    for outsider in (sam, rita):
        client.force_login(outsider)
        assert client.get(path).status_code == 403
    for insider in (edna, carol):
        client.force_login(insider)
        assert client.get(path).status_code == 200


def test_a_restricted_meeting_never_shows_to_another_organisation(client, meetings, bruno, edna, carol):
    restricted = meetings["restricted"]
    client.force_login(bruno)
    assert client.get(restricted.get_absolute_url()).status_code == 404
    for path in ("/engagement/", "/engagement/meetings/", "/engagement/meetings/export.csv", "/states/NOR/"):
        body = b"".join(client.get(path)) if path.endswith(".csv") else client.get(path).content
        text = body.decode()
        assert "Hidden Official" not in text and "Hidden commitment" not in text and SECRET not in text, path
        assert "Open commitment" in text or path == "/engagement/", path

    for reader in (edna, carol):
        client.force_login(reader)
        assert SECRET in client.get(restricted.get_absolute_url()).content.decode()
        assert "Hidden commitment" in b"".join(client.get("/engagement/meetings/export.csv")).decode()
        assert "Hidden commitment" in client.get("/states/NOR/").content.decode()


def test_the_timeline_is_not_on_the_public_state_page(client, meetings, sam):
    for user in (None, sam):
        if user:
            client.force_login(user)
        page = client.get("/states/NOR/").content.decode()
        assert "Engagement timeline" not in page and "Open commitment" not in page


def test_an_editor_records_a_meeting_through_the_form(client, edna, org_a, norway):
    minister = official(state=norway, name="Espen Barth Eide")
    client.force_login(edna)
    response = client.post(
        "/engagement/meetings/new/",
        {
            "state": "NOR",
            "organisation": org_a.pk,
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "status": "held",
            "format": "call",
            "positions": [minister.pk],
            "other_officials": "Kari Nordmann; Adviser",
            "attendees": "Edna Editor; Alpha Aid",
            "topics": ["ratification"],
            "stated_position": "considering",
            "commitments": "Table the bill\nInvite us back",
            "outcome": "<script>alert(1)</script> **Good**",
            "visibility": "coalition",
            "attachment": SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        },
    )
    meeting = OfficialMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.commitments.count() == 2 and meeting.attachments.count() == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Good</strong>" in page and "<script>alert" not in page
    assert "Espen Barth Eide" in page and "Kari Nordmann" in page
    download = client.get(MeetingAttachment.objects.get().get_absolute_url())
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_a_held_meeting_in_the_future_is_refused_with_a_clear_message(client, edna, org_a, norway):
    client.force_login(edna)
    response = client.post(
        "/engagement/meetings/new/",
        {
            "state": "NOR",
            "organisation": org_a.pk,
            "held_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "status": "held",
            "format": "call",
            "stated_position": "not_stated",
            "visibility": "coalition",
            "commitments": "Something",
        },
    )
    assert response.status_code == 200
    assert "cannot be dated in the future" in response.content.decode()
    assert not OfficialMeeting.objects.exists() and not Commitment.objects.exists()


def test_an_official_of_another_state_is_refused_through_the_form(client, edna, org_a, norway):
    laos_official = official(state=StateFactory(iso3="LAO", name="Laos"), title="Lao Minister")
    client.force_login(edna)
    response = client.post(
        "/engagement/meetings/new/",
        {
            "state": "NOR",
            "organisation": org_a.pk,
            "held_on": timezone.localdate().isoformat(),
            "status": "held",
            "format": "call",
            "positions": [laos_official.pk],
            "stated_position": "not_stated",
            "visibility": "coalition",
        },
    )
    assert "Lao Minister is not an official of Norway" in response.content.decode()
    assert not OfficialMeeting.objects.exists()


def test_editors_edit_only_their_organisations_meetings(client, meetings, edna, bruno, carol):
    open_meeting = meetings["open"]  # Beta Relief's
    client.force_login(edna)
    assert client.get(f"/engagement/meetings/{open_meeting.pk}/").status_code == 200
    assert client.get(f"/engagement/meetings/{open_meeting.pk}/edit/").status_code == 403
    commitment = open_meeting.commitments.get()
    url = f"/engagement/meetings/{open_meeting.pk}/commitments/{commitment.pk}/"
    assert client.post(url, {"status": "kept"}).status_code == 403
    for editor in (bruno, carol):
        client.force_login(editor)
        assert client.get(f"/engagement/meetings/{open_meeting.pk}/edit/").status_code == 200
    client.post(url, {"status": "kept"})
    commitment.refresh_from_db()
    assert commitment.status == "kept"


def test_the_meetings_list_filters_and_exports_the_same_rows(client, meetings, carol, norway):
    client.force_login(carol)
    page = client.get("/engagement/meetings/", {"commitment_status": "made", "official": "Open"}).content.decode()
    assert "Open commitment" in page and "Hidden commitment" not in page
    csv = b"".join(client.get("/engagement/meetings/export.csv", {"official": "Hidden"})).decode()
    assert "Hidden commitment" in csv and "Open commitment" not in csv


def test_pages_run_a_fixed_number_of_queries(client, carol, norway, org_a, django_assert_num_queries):
    client.force_login(carol)

    def counts():
        found = {}
        for path in ("/engagement/", "/engagement/meetings/", "/engagement/follow-ups/", "/states/NOR/"):
            client.get(path)  # warm the session and permission caches of the first request
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            found[path] = len(captured)
        return found

    FollowUpFactory(owner=carol, meeting=OfficialMeetingFactory(state=norway, organisation=org_a), state=norway)
    few = counts()
    # Session, user, the user's permissions (2), then each page's own reads.
    assert few == {"/engagement/": 8, "/engagement/meetings/": 11, "/engagement/follow-ups/": 7, "/states/NOR/": 20}
    for _n in range(5):
        meeting = OfficialMeetingFactory(state=norway, organisation=org_a)
        OfficialMetFactory(meeting=meeting)
        CommitmentFactory(meeting=meeting)
        FollowUpFactory(owner=carol, meeting=meeting, state=norway)
    assert counts() == few
    with django_assert_num_queries(few["/engagement/meetings/"]):
        client.get("/engagement/meetings/")


def test_overdue_follow_ups_are_shown_in_red_to_their_owner_and_staff(client, edna, carol):
    follow_up = FollowUpFactory(owner=edna, title="Send the letter")
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(edna)
    page = client.get("/engagement/follow-ups/").content.decode()
    assert 'class="overdue"' in page and "Send the letter" in page
    client.force_login(carol)
    page = client.get("/engagement/follow-ups/?who=everyone").content.decode()
    assert 'class="overdue"' in page and "Send the letter" in page


def test_a_follow_up_is_created_and_completed_through_the_pages(client, edna, bruno):
    client.force_login(edna)
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    response = client.post(
        "/engagement/follow-ups/new/", {"title": "Call the embassy", "owner": edna.pk, "due_on": due}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    client.force_login(bruno)
    assert client.post(f"/engagement/follow-ups/{follow_up.pk}/done/").status_code == 404
    client.force_login(edna)
    client.post(f"/engagement/follow-ups/{follow_up.pk}/done/")
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_a_follow_up_without_owner_or_in_the_past_is_refused_through_the_form(client, edna):
    client.force_login(edna)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post("/engagement/follow-ups/new/", {"title": "Call", "owner": "", "due_on": past})
    assert "needs an owner" in response.content.decode()
    response = client.post("/engagement/follow-ups/new/", {"title": "Call", "owner": edna.pk, "due_on": past})
    assert "in the past" in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Mes suivis"), ("es", "Mis seguimientos"), ("ar", "متابعاتي")],
)
def test_the_pages_are_translated_and_arabic_reads_right_to_left(client, edna, language, expected):
    client.force_login(edna)
    page = client.get(f"/{language}/engagement/follow-ups/").content.decode()
    assert expected in page
    if language == "ar":
        assert 'dir="rtl"' in page


def test_the_api_never_answers_with_meetings_with_officials(client, meetings, carol):
    """Engagement has no API resource; the state and meeting resources carry nothing of it, even to staff."""
    from coalition.api.router import router

    assert not [prefix for prefix, _viewset, _basename in router.registry if "engagement" in prefix]
    client.force_login(carol)
    for path in ("/api/v1/states/NOR/", "/api/v1/states/?format=csv", "/api/v1/meetings/"):
        body = b"".join(client.get(path)).decode()
        assert SECRET not in body and "Hidden commitment" not in body and "Open commitment" not in body, path
