from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.models import AuditEntry
from coalition.engagement import selectors, services
from coalition.engagement.models import Commitment, OfficialMeeting, Visibility
from coalition.engagement.services import AttendeeLine, EngagementError, OtherOfficial
from coalition.engagement.tests.factories import CommitmentFactory
from coalition.letters.tests.factories import PersonFactory, TermFactory, official
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


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


def test_commitments_are_followed_by_state(edna, org_a, norway):
    commitment = CommitmentFactory(meeting__state=norway, meeting__organisation=org_a)
    assert commitment.state == norway
