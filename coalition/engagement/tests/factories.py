from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from coalition.engagement.models import Commitment, Delegate, Delegation, FollowUp, OfficialMeeting, OfficialMet
from coalition.lib.tests.factories import model_factory
from coalition.states.tests.factories import MeetingFactory, StateFactory


class OfficialMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialMeeting

    state = factory.SubFactory(StateFactory, iso3="NOR", name="Norway")
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    status = OfficialMeeting.Status.HELD
    format = OfficialMeeting.Format.IN_PERSON
    topics = factory.LazyFunction(lambda: ["ratification"])
    outcome = "They listened."


class OfficialMetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialMet

    meeting = factory.SubFactory(OfficialMeetingFactory)
    name = "Ingrid Official"
    title = "State Secretary"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    meeting = factory.SubFactory(OfficialMeetingFactory)
    state = factory.LazyAttribute(lambda c: c.meeting.state)
    text = factory.Sequence(lambda n: f"Table the ratification bill {n}")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    title = factory.Sequence(lambda n: f"Send the briefing {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


DelegationFactory = model_factory(Delegation, meeting=factory.SubFactory(MeetingFactory))
DelegateFactory = model_factory(Delegate, delegation=factory.SubFactory(DelegationFactory))
