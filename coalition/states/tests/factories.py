"""Factories for states, their events, measures and meetings; `state_party(...)` etc. build a status from events."""

from __future__ import annotations

from datetime import date
from typing import cast

import factory
from django_countries import countries

from coalition.core.audit import Actor
from coalition.lib.tests.factories import model_factory
from coalition.states import services
from coalition.states.models import Meeting, NationalMeasure, Participation, State, StateFact, Statement, TreatyEvent

ALL_ISO3 = sorted(countries.alpha3(country.code) for country in countries)


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: ALL_ISO3[n % len(ALL_ISO3)])
    country = factory.LazyAttribute(lambda state: countries.alpha2(state.iso3))
    name = factory.LazyAttribute(lambda state: str(countries.name(countries.alpha2(state.iso3))))
    region = "Europe"
    subregion = "Northern Europe"


def signatory(iso3: str | None = None, *, signed: date = date(2008, 12, 3), **kwargs) -> State:
    state = cast(State, StateFactory(**({"iso3": iso3} if iso3 else {}), **kwargs))
    services.treaty_event_record(
        state=state, kind=TreatyEvent.Kind.SIGNATURE, date=signed, source="test", by=Actor.SYSTEM
    )
    state.refresh_from_db()
    return state


def state_party(
    iso3: str | None = None, *, signed: date | None = date(2008, 12, 3), ratified: date = date(2009, 6, 1), **kwargs
) -> State:
    state = cast(State, StateFactory(**({"iso3": iso3} if iso3 else {}), **kwargs))
    if signed:
        services.treaty_event_record(
            state=state, kind=TreatyEvent.Kind.SIGNATURE, date=signed, source="test", by=Actor.SYSTEM
        )
    kind = TreatyEvent.Kind.RATIFICATION if signed else TreatyEvent.Kind.ACCESSION
    services.treaty_event_record(state=state, kind=kind, date=ratified, source="test", by=Actor.SYSTEM)
    state.refresh_from_db()
    return state


class StateFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateFact

    state = factory.SubFactory(StateFactory)
    kind = StateFact.Kind.STOCKPILER
    value = StateFact.Value.YES
    as_of = date(2024, 8, 1)
    source = "Cluster Munition Monitor 2024"


class NationalMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalMeasure

    state = factory.SubFactory(StateFactory)
    kind = NationalMeasure.Kind.STOCKPILE_DESTRUCTION
    title = factory.Sequence(lambda n: f"Stockpile destruction programme {n}")
    status = NationalMeasure.Status.IN_PROGRESS
    munitions_destroyed = 1000
    munitions_remaining = 500
    deadline = date(2027, 8, 1)
    source = "https://example.org/monitor"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    name = factory.Sequence(lambda n: f"Meeting of States Parties number {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = Meeting.Kind.MEETING_OF_STATES_PARTIES
    city = "Geneva"
    start = factory.Sequence(lambda n: date(2011 + n % 14, 9, 1))
    end = factory.LazyAttribute(lambda meeting: meeting.start)


ParticipationFactory = model_factory(
    Participation, meeting=factory.SubFactory(MeetingFactory), state=factory.SubFactory(StateFactory)
)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    meeting = factory.SubFactory(MeetingFactory)
    state = factory.SubFactory(StateFactory)
    title = factory.Sequence(lambda n: f"General statement {n}")
    url = "https://example.org/statement.pdf"
