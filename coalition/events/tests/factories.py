from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone as dj_timezone

from coalition.events.models import RSVP, Event, EventPartner
from coalition.lib.tests.factories import model_factory
from coalition.members.tests.factories import OrganisationFactory


def _in_days(days: float):
    return factory.LazyFunction(lambda: dj_timezone.now().replace(microsecond=0) + timedelta(days=days))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Public meeting {n:04d}")
    kind = Event.Kind.PUBLIC_MEETING
    description = "Why the **Convention on Cluster Munitions** matters."
    organisation = factory.SubFactory(OrganisationFactory)
    venue = "Litteraturhuset"
    address = "Wergelandsveien 29"
    city = "Oslo"
    country = "NO"
    latitude = factory.LazyFunction(lambda: None)
    longitude = factory.LazyFunction(lambda: None)
    starts_at = _in_days(10)
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    timezone = "Europe/Oslo"
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(dj_timezone.now)


PartnerFactory = model_factory(
    EventPartner,
    event=factory.SubFactory(EventFactory),
    organisation=factory.SubFactory(OrganisationFactory),
    role=EventPartner.Role.CO_HOST,
)


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Attendee {n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    status = RSVP.Status.CONFIRMED


def event_form_data(**overrides):
    """What the organisers' event form posts: a debate 20 days from now, with `overrides`."""
    start = (dj_timezone.now() + timedelta(days=20)).replace(hour=18, minute=0)
    data = {
        "kind": "debate",
        "title": "Debate: banning cluster munitions",
        "description": "Speakers from **Alpha Aid**.",
        "starts_at": start.strftime("%Y-%m-%dT18:00"),
        "ends_at": start.strftime("%Y-%m-%dT20:00"),
        "timezone": "Europe/Oslo",
        "language": "en",
        "address_visibility": "public",
    }
    data.update(overrides)
    return data
