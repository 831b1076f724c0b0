"""Personas of the registry's tests, on top of alice (superuser), carol (campaigner) and sam (supporter)."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import Group

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.members.tests.factories import OrganisationFactory


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Beta Relief", slug="beta-relief", country="LB")


def _editor(email: str, name: str, organisation):
    user = cast(User, UserFactory(email=email, full_name=name))
    user.groups.add(Group.objects.get(name=Role.ORGANISATION_EDITOR))
    organisation.editors.add(user)
    return user


@pytest.fixture
def edna(org_a):
    """Edna edits Alpha Aid's profile, and only that: she must get 403 on Beta Relief's."""
    return _editor("edna@alpha.example.org", "Edna Editor", org_a)


@pytest.fixture
def bruno(org_b):
    """Bruno edits Beta Relief; he is the 'other organisation' in Edna's tests."""
    return _editor("bruno@beta.example.org", "Bruno Editor", org_b)
