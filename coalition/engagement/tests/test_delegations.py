"""Delegations at treaty meetings: the page, assignments, the day sheet, quick logging and the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.core.models import AuditEntry
from coalition.engagement import delegations
from coalition.engagement.models import Assignment, Delegation, OfficialMeeting, Visibility
from coalition.engagement.services import EngagementError, OtherOfficial
from coalition.engagement.tests.factories import (
    CommitmentFactory,
    DelegateFactory,
    DelegationFactory,
    OfficialMeetingFactory,
)
from coalition.states.tests.factories import MeetingFactory, signatory

pytestmark = pytest.mark.django_db


@pytest.fixture
def msp(db):
    today = timezone.localdate()
    return MeetingFactory(slug="msp-14", name="Fourteenth Meeting of States Parties", start=today, end=today)


def test_staff_create_a_delegation_add_delegates_and_assign_states(client, carol, edna, bruno, msp, norway):
    url = f"/meetings/{msp.slug}/delegation/"
    client.force_login(edna)
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "create"}).status_code == 403
    assert not Delegation.objects.exists()

    client.force_login(carol)
    assert client.post(url, {"form": "create", "notes": "Hotel Cornavin"}).status_code == 302
    client.post(url, {"form": "delegate", "user": edna.pk, "arrives_on": msp.start.isoformat()})
    delegate = Delegation.objects.get().delegates.get()
    client.post(url, {"form": "assign", "delegate": delegate.pk, "state": "NOR", "asks": "Ratify before the MSP"})

    assignment = Assignment.objects.get()
    assert (assignment.delegate.user, assignment.state_id) == (edna, "NOR")
    page = client.get(url).content.decode()
    assert "Ratify before the MSP" in page and "Alpha Aid" in page
    assert AuditEntry.objects.filter(action__startswith="delegation.").count() == 3


def test_an_assignment_to_someone_outside_the_delegation_is_refused_on_the_page(
    client, carol, edna, bruno, msp, norway
):
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    other = delegations.delegate_add(
        delegation=delegations.delegation_create(meeting=MeetingFactory(), by=carol), user=bruno, by=carol
    )
    client.force_login(carol)

    response = client.post(
        f"/meetings/{msp.slug}/delegation/", {"form": "assign", "delegate": other.pk, "state": "NOR"}
    )

    assert response.status_code == 400
    assert "Choose a delegate of this delegation" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_day_sheet_shows_each_assigned_state_by_priority_with_its_last_meeting_and_open_commitments(
    client, carol, edna, org_a, msp, norway
):
    indonesia = signatory("IDN", name="Indonesia")
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegate = delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    delegations.assignment_set(delegation=delegation, delegate=delegate, state=norway, by=carol, asks="Fund clearance")
    delegations.assignment_set(delegation=delegation, delegate=delegate, state=indonesia, by=carol, asks="Ratify")
    last = OfficialMeetingFactory(state=norway, held_on=timezone.localdate() - timedelta(days=20))
    CommitmentFactory(meeting=last, text="Double the clearance budget")
    CommitmentFactory(meeting=last, text="Already done", status="kept")
    secret = OfficialMeetingFactory(
        state=norway, held_on=timezone.localdate() - timedelta(days=1), visibility=Visibility.RESTRICTED
    )
    CommitmentFactory(meeting=secret, text="Hidden promise")

    client.force_login(edna)
    page = client.get(f"/meetings/{msp.slug}/delegation/me/").content.decode()

    assert page.index("Indonesia") < page.index("Norway")  # a signatory comes first
    assert "priority: High" in page
    assert "Double the clearance budget" in page and "Already done" not in page
    assert "Hidden promise" not in page
    assert (last.held_on.strftime("%Y") in page) and "Fund clearance" in page


def test_a_bilateral_logged_from_the_day_sheet_becomes_a_meeting_record_and_is_in_the_report(
    client, carol, edna, bruno, msp, norway
):
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegate = delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    delegations.assignment_set(delegation=delegation, delegate=delegate, state=norway, by=carol)
    client.force_login(bruno)
    assert client.get(f"/meetings/{msp.slug}/delegation/log/").status_code == 403

    client.force_login(edna)
    response = client.post(
        f"/meetings/{msp.slug}/delegation/log/",
        {
            "state": "NOR",
            "held_on": timezone.localdate().isoformat(),
            "officials": "Ambassador Berg; Permanent Representative",
            "stated_position": "supportive",
            "outcome": "Positive.",
            "commitments": "Announce ratification",
            "visibility": "coalition",
            "follow_up_title": "Send the ratification kit",
            "follow_up_due": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )

    assert response.status_code == 302
    meeting = OfficialMeeting.objects.get()
    assert meeting.delegation == delegation and meeting.organisation.name == "Alpha Aid"
    report = client.get(f"/meetings/{msp.slug}/delegation/report/").content.decode()
    assert "1 state met" in report and "Announce ratification" in report and "Send the ratification kit" in report


def test_a_bilateral_dated_in_the_future_is_refused(client, carol, edna, msp, norway):
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    client.force_login(edna)
    response = client.post(
        f"/meetings/{msp.slug}/delegation/log/",
        {
            "state": "NOR",
            "held_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "stated_position": "supportive",
            "visibility": "coalition",
        },
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not OfficialMeeting.objects.exists()


def test_delegation_pages_answer_404_before_the_delegation_exists_and_403_outside_the_coalition(client, sam, edna, msp):
    client.force_login(edna)
    for page in ("me/", "report/", "log/"):
        assert client.get(f"/meetings/{msp.slug}/delegation/{page}").status_code == 404
    client.force_login(sam)
    assert client.get(f"/meetings/{msp.slug}/delegation/").status_code == 403


def test_an_assignment_to_someone_outside_the_delegation_is_refused(carol, edna, norway):
    delegation = DelegationFactory()
    elsewhere = DelegateFactory(user=edna)  # a delegate of another meeting's delegation

    with pytest.raises(EngagementError, match="not in this delegation"):
        delegations.assignment_set(delegation=delegation, delegate=elsewhere, state=norway, by=carol)
    assert not delegation.assignments.exists()


def test_only_staff_run_delegations_and_delegates_are_coalition_users(carol, edna, sam, norway):
    delegation = DelegationFactory()
    with pytest.raises(EngagementError, match="staff run delegations"):
        delegations.delegate_add(delegation=delegation, user=edna, by=edna)
    with pytest.raises(EngagementError, match="not a coalition user"):
        delegations.delegate_add(delegation=delegation, user=sam, by=carol)

    delegate = delegations.delegate_add(delegation=delegation, user=edna, by=carol)
    delegations.assignment_set(delegation=delegation, delegate=delegate, state=norway, by=carol, asks="Ratify")

    assert delegate.organisation.name == "Alpha Aid"
    assert delegation.assignments.get().asks == "Ratify"
    assert AuditEntry.objects.filter(action__startswith="delegation.").count() == 2


def test_a_bilateral_logged_by_a_delegate_becomes_a_meeting_of_its_state_with_its_follow_up(carol, edna, norway):
    delegation = DelegationFactory()
    delegations.delegate_add(delegation=delegation, user=edna, by=carol)

    meeting = delegations.bilateral_log(
        delegation=delegation,
        by=edna,
        state=norway,
        held_on=timezone.localdate(),
        officials=[OtherOfficial(name="Ambassador Berg", title="Permanent Representative")],
        commitments=["Announce ratification at the next meeting"],
        follow_up_title="Send the model legislation",
        follow_up_due=timezone.localdate() + timedelta(days=14),
    )

    assert meeting.delegation == delegation and meeting.state == norway
    assert meeting.organisation.name == "Alpha Aid"
    assert meeting.commitments.get().text == "Announce ratification at the next meeting"
    assert meeting.follow_ups.get().owner == edna


def test_someone_outside_the_delegation_cannot_log_its_bilaterals(bruno, norway):
    delegation = DelegationFactory()
    with pytest.raises(EngagementError, match="delegation's members"):
        delegations.bilateral_log(delegation=delegation, by=bruno, state=norway, held_on=timezone.localdate())
    assert not OfficialMeeting.objects.exists()
