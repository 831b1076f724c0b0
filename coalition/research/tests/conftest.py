"""Personas of the research tests, on top of alice (superuser), carol (campaigner) and sam (supporter)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.members.tests.factories import OrganisationFactory
from coalition.research.models import Researcher
from coalition.research.services import casualty_totals_refresh
from coalition.states.tests.factories import StateFactory


@pytest.fixture
def states(db):
    """The states these tests record in (the importer only accepts states that exist)."""
    return {iso3: StateFactory(iso3=iso3) for iso3 in ("LAO", "SYR", "NOR", "UKR")}


@pytest.fixture
def alpha(db):
    return OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="LA")


@pytest.fixture
def beta(db):
    return OrganisationFactory(name="Beta Relief", slug="beta-relief", country="SY")


def _researcher(email, name, organisation):
    user = UserFactory(email=email, full_name=name)
    user.groups.add(Group.objects.get(name=Role.RESEARCHER))
    Researcher.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def rita(alpha):
    """Rita researches for Alpha Aid: she writes and sees Alpha's records, personal data included."""
    return _researcher("rita@alpha.example.org", "Rita Researcher", alpha)


@pytest.fixture
def otto(beta):
    """Otto researches for Beta Relief: he must never see Alpha's unpublished records nor their personal data."""
    return _researcher("otto@beta.example.org", "Otto Other", beta)


@pytest.fixture
def vera(db):
    """Vera is coalition staff reviewing research: approves, imports, and may see personal data."""
    user = UserFactory(email="vera@example.org", full_name="Vera Reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.REVIEWER))
    return user


@pytest.fixture
def refresh_totals():
    """Factories write rows directly; public figures need their totals recounted as the services do."""
    return lambda: casualty_totals_refresh()
