from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.models import AuditEntry
from coalition.engagement import delegations, follow_ups, selectors, services
from coalition.engagement.models import Commitment, FollowUp, OfficialMeeting, Visibility
from coalition.engagement.services import AttendeeLine, EngagementError, OtherOfficial
from coalition.engagement.tests.factories import CommitmentFactory, DelegateFactory, DelegationFactory, FollowUpFactory
from coalition.letters.tests.factories import PersonFactory, TermFactory, official
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def norway(db):
    return StateFactory(iso3="NOR", name="Norway")


@pytest.fixture
def laos(db):
    return StateFactory(iso3="LAO", name="Laos")


def _data(state, organisation, **overrides):
    data = {
        "state": state,
        "organisation": organisation,
        "held_on": timezone.localdate() - timedelta(days=2),
        "status": OfficialMeeting.Status.HELD,
        "format": OfficialMeeting.Format.IN_PERSON,
        "topics": ["ratification", "stockpiles"],
        "topics_other": "Transit",
        "stated_position": OfficialMeeting.Stance.CONSIDERING,
        "outcome": "The minister will *raise it* in cabinet.",
        "visibility": Visibility.COALITION,
    }
    return {**data, **overrides}


def test_an_editor_records_a_meeting_of_their_organisation_with_everything_it_holds(edna, org_a, norway):
    minister = official(state=norway, name="Espen Barth Eide", title="Minister of Foreign Affairs")
    meeting = services.meeting_create(
        by=edna,
        data=_data(norway, org_a),
        positions=[minister],
        other_officials=[OtherOfficial(name="Kari Nordmann", title="Adviser")],
        attendees=[
            AttendeeLine(name="Edna Editor", organisation="Alpha Aid"),
            AttendeeLine(name="Guest", organisation="Oslo Uni"),
        ],
        commitments=["Table the bill before summer", "  "],
    )

    assert [(o.name, o.title) for o in meeting.officials.all()] == [
        ("Espen Barth Eide", "Minister of Foreign Affairs"),
        ("Kari Nordmann", "Adviser"),
    ]
    assert meeting.officials.first().person.name == "Espen Barth Eide"
    assert [(a.name, a.organisation_label) for a in meeting.attendees.all()] == [
        ("Edna Editor", "Alpha Aid"),
        ("Guest", "Oslo Uni"),
    ]
    assert meeting.attendees.first().organisation == org_a
    assert [(c.text, c.status, c.state_id) for c in meeting.commitments.all()] == [
        ("Table the bill before summer", "made", "NOR")
    ]
    entry = AuditEntry.objects.get(action="official_meeting.create")
    assert entry.actor == edna and entry.object_id == str(meeting.pk)


def test_the_official_met_is_whoever_held_the_position_on_the_day(edna, org_a, norway):
    minister = official(state=norway, name="Today's Minister")
    minister.terms.update(started_on=date(2025, 1, 1))
    TermFactory(
        position=minister,
        person=PersonFactory(name="Former Minister"),
        started_on=date(2020, 1, 1),
        ended_on=date(2024, 12, 31),
    )

    meeting = services.meeting_create(
        by=edna, data=_data(norway, org_a, held_on=date(2023, 5, 4)), positions=[minister]
    )

    assert meeting.officials.get().name == "Former Minister"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "cannot be dated in the future"),
        ({"topics": ["weather"]}, "Choose topics from the list"),
    ],
)
def test_bad_meetings_are_refused_with_a_clear_message_and_nothing_is_stored(edna, org_a, norway, overrides, message):
    with pytest.raises(EngagementError, match=message):
        services.meeting_create(by=edna, data=_data(norway, org_a, **overrides), commitments=["Something"])
    assert not OfficialMeeting.objects.exists() and not Commitment.objects.exists()


def test_a_planned_meeting_may_be_in_the_future(edna, org_a, norway):
    future = timezone.localdate() + timedelta(days=30)
    meeting = services.meeting_create(
        by=edna, data=_data(norway, org_a, held_on=future, status=OfficialMeeting.Status.PLANNED)
    )
    assert meeting.held_on == future


def test_an_official_of_another_state_is_refused(edna, org_a, norway, laos):
    lao_minister = official(state=laos, title="Minister of Foreign Affairs of Laos")
    with pytest.raises(EngagementError, match="is not an official of Norway"):
        services.meeting_create(by=edna, data=_data(norway, org_a), positions=[lao_minister])
    assert not OfficialMeeting.objects.exists()


def test_an_editor_cannot_record_for_another_organisation(edna, org_b, norway):
    with pytest.raises(EngagementError, match="your own organisation"):
        services.meeting_create(by=edna, data=_data(norway, org_b))
    assert not OfficialMeeting.objects.exists()


def test_researchers_and_supporters_record_nothing(sam, org_a, norway):
    researcher = UserFactory(email="rita@example.org")
    researcher.groups.add(Group.objects.get(name=Role.RESEARCHER))
    for user in (sam, researcher):
        with pytest.raises(EngagementError):
            services.meeting_create(by=user, data=_data(norway, org_a))
    assert not OfficialMeeting.objects.exists()


def test_campaigners_record_for_the_coalition_and_edit_any_meeting(carol, edna, org_a, norway):
    staff_meeting = services.meeting_create(by=carol, data=_data(norway, None))
    edna_meeting = services.meeting_create(by=edna, data=_data(norway, org_a))

    services.meeting_update(meeting=edna_meeting, by=carol, data=_data(norway, org_a, outcome="Secret: a name"))

    assert staff_meeting.organisation is None
    entry = AuditEntry.objects.get(action="official_meeting.update")
    assert entry.actor == carol
    # The trail says the outcome changed, never what it says (it may name people).
    assert entry.detail["fields"]["outcome"] == ["…", "…"]
    assert "Secret" not in str(entry.detail)


def test_an_editor_cannot_edit_another_organisations_meeting(bruno, edna, org_a, norway):
    meeting = services.meeting_create(by=edna, data=_data(norway, org_a))
    with pytest.raises(EngagementError):
        services.meeting_update(meeting=meeting, by=bruno, data=_data(norway, org_a, outcome="Changed"))
    meeting.refresh_from_db()
    assert meeting.outcome.startswith("The minister")


def test_a_restricted_meeting_is_read_by_staff_and_the_recording_organisation_only(
    edna, bruno, carol, sam, org_a, norway
):
    restricted = services.meeting_create(by=edna, data=_data(norway, org_a, visibility=Visibility.RESTRICTED))
    open_meeting = services.meeting_create(by=edna, data=_data(norway, org_a))

    def seen(user):
        return set(selectors.meetings_visible(selectors.engagement_access(user)))

    assert seen(edna) == {restricted, open_meeting}
    assert seen(carol) == {restricted, open_meeting}
    assert seen(bruno) == {open_meeting}
    assert seen(sam) == set()


def test_commitment_status_changes_are_recorded(edna, org_a, norway):
    meeting = services.meeting_create(by=edna, data=_data(norway, org_a), commitments=["Ratify"])
    commitment = meeting.commitments.get()

    services.commitment_set_status(commitment=commitment, status=Commitment.Status.KEPT, by=edna)

    commitment.refresh_from_db()
    assert commitment.status == "kept"
    assert AuditEntry.objects.get(action="commitment.set_status").detail["status"] == ["made", "kept"]


# --- follow-ups ---------------------------------------------------------------------------------------------


def test_a_follow_up_without_owner_or_due_in_the_past_is_refused(edna, org_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(EngagementError, match="needs an owner"):
        follow_ups.follow_up_create(by=edna, title="Call back", owner=None, due_on=timezone.localdate())
    with pytest.raises(EngagementError, match="in the past"):
        follow_ups.follow_up_create(by=edna, title="Call back", owner=edna, due_on=yesterday)
    assert not FollowUp.objects.exists()


def test_a_follow_up_goes_to_coalition_users_who_may_read_its_meeting(edna, bruno, carol, sam, org_a, norway):
    restricted = services.meeting_create(by=edna, data=_data(norway, org_a, visibility=Visibility.RESTRICTED))
    due = timezone.localdate() + timedelta(days=5)

    with pytest.raises(EngagementError, match="not a coalition user"):
        follow_ups.follow_up_create(by=edna, title="Call", owner=sam, due_on=due)
    with pytest.raises(EngagementError, match="may not read this restricted meeting"):
        follow_ups.follow_up_create(by=edna, title="Call", owner=bruno, due_on=due, meeting=restricted)
    assert not FollowUp.objects.exists()

    follow_up = follow_ups.follow_up_create(by=edna, title="Call", owner=carol, due_on=due, meeting=restricted)
    assert follow_up.state_id == "NOR"
    assert AuditEntry.objects.filter(action="follow_up.create").count() == 1


def test_only_the_owner_or_staff_complete_a_follow_up(edna, bruno, carol):
    follow_up = FollowUpFactory(owner=edna)
    with pytest.raises(EngagementError):
        follow_ups.follow_up_complete(follow_up=follow_up, by=bruno)
    follow_ups.follow_up_complete(follow_up=follow_up, by=carol)
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.completed_at is not None


# --- delegations --------------------------------------------------------------------------------------------


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


def test_commitments_are_followed_by_state(edna, org_a, norway):
    commitment = CommitmentFactory(meeting__state=norway, meeting__organisation=org_a)
    assert commitment.state == norway
