from __future__ import annotations

from datetime import date

import factory

from coalition.members.tests.factories import OrganisationFactory
from coalition.research.models import Casualty, ContaminatedArea, Report, Source, Status, Strike
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


class CasualtyFactory(RecordFactory):
    class Meta:
        model = Casualty

    killed = 1
    injured = 0
    civilian_status = Casualty.CivilianStatus.CIVILIAN
    sex = Casualty.Sex.MALE
    age_group = Casualty.AgeGroup.CHILD
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
