from __future__ import annotations

import factory
from django.utils import timezone

from coalition.lib.tests.factories import model_factory
from coalition.members.models import (
    MembershipApplication,
    Organisation,
    SteeringCommitteeSeat,
    Supporter,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n:04d}")
    slug = factory.Sequence(lambda n: f"organisation-{n:04d}")
    type = Organisation.Type.NGO
    country = "NO"
    city = "Oslo"
    status = Organisation.Status.MEMBER
    joined_on = factory.LazyFunction(timezone.localdate)


SeatFactory = model_factory(SteeringCommitteeSeat, organisation=factory.SubFactory(OrganisationFactory))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    organisation = factory.SubFactory(OrganisationFactory, status=Organisation.Status.APPLICANT, joined_on=None)
    contact_name = "Ana Applicant"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    motivation = "We clear cluster munition remnants."


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    name = factory.Sequence(lambda n: f"Supporter {n}")
    email = factory.Sequence(lambda n: f"supporter{n}@example.org")
    country = "FR"
    status = Supporter.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
