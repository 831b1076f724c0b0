from __future__ import annotations

from datetime import date
from typing import Any

import factory

from coalition.members.tests.factories import OrganisationFactory
from coalition.research.models import (
    BREAKDOWN_NAMES,
    OUTCOMES,
    Casualty,
    ContaminatedArea,
    Report,
    Source,
    Status,
    Strike,
)
from coalition.states.tests.factories import StateFactory


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("title",)

    title = "Field survey by the submitting organisation"


class RecordFactory(factory.django.DjangoModelFactory):
    state = factory.SubFactory(StateFactory, iso3="LAO")
    organisation = factory.SubFactory(OrganisationFactory)
    source = factory.SubFactory(SourceFactory)
    date = date(2019, 5, 14)
    place_name = "Ban Nong"
    latitude = 16.5
    longitude = 106.0
    status = Status.APPROVED


def _groups(casualty: Any) -> set[str]:
    """The breakdowns a record of people of one description counts them in."""
    sex = {"female": "female", "male": "male"}.get(casualty.sex)
    age = {"child": "children", "adult": "adults"}.get(casualty.age_group)
    status = {"civilian": "civilians", "military": "military", "deminer": "deminers"}.get(casualty.civilian_status)
    both = {("female", "children"): "girls", ("male", "children"): "boys"}
    both |= {("female", "adults"): "women", ("male", "adults"): "men"}
    return {name for name in (sex, age, status, both.get((sex or "", age or ""))) if name}


class CasualtyFactory(RecordFactory):
    class Meta:
        model = Casualty

    class Params:
        # One description for everyone the record counts (a boy, civilian, by default), as before the breakdowns:
        # each count below is then all of the killed or injured, or none. Pass "unknown" to leave one out.
        sex = "male"
        age_group = "child"
        civilian_status = "civilian"

    killed = 1
    injured = 0
    locals().update(
        {
            f"{outcome}_{name}": factory.LazyAttribute(
                lambda c, outcome=outcome, name=name: getattr(c, outcome) if name in _groups(c) else 0
            )
            for outcome in OUTCOMES
            for name in BREAKDOWN_NAMES
        }
    )
    activity = "Farming"
    phase = Casualty.Phase.REMNANT
    year = factory.LazyAttribute(lambda casualty: casualty.date.year)


class StrikeFactory(RecordFactory):
    class Meta:
        model = Strike

    munition_type = "BLU-26/B"
    delivery = Strike.Delivery.AIR_DROPPED


class AreaFactory(RecordFactory):
    class Meta:
        model = ContaminatedArea

    area_m2 = 25_000
    hazard_status = ContaminatedArea.HazardStatus.CONFIRMED


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    title = factory.Sequence(lambda n: f"Survey of remnants, district {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    published_on = date(2023, 3, 1)
    summary = "What we found."
    status = Status.APPROVED
