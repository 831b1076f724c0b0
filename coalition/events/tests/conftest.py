"""Personas of the events tests, on top of alice (superuser), carol (campaigner) and sam (supporter)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.members.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Beta Relief", slug="beta-relief", country="LB")


def _editor(email, name, organisation):
    user = UserFactory(email=email, full_name=name)
    user.groups.add(Group.objects.get(name=Role.ORGANISATION_EDITOR))
    organisation.editors.add(user)
    return user


@pytest.fixture
def edna(org_a):
    """Edna edits Alpha Aid: she creates its events and sees their attendees, and nothing of Beta Relief's."""
    return _editor("edna@alpha.example.org", "Edna Editor", org_a)


@pytest.fixture
def bruno(org_b):
    """Bruno edits Beta Relief; he is the 'other organisation' in Edna's tests."""
    return _editor("bruno@beta.example.org", "Bruno Editor", org_b)


@pytest.fixture
def emails(db):
    """The e-mails queued so far (the durable record a worker delivers), oldest first."""
    from coalition.core.models import Email

    def queued(to: str | None = None):
        rows = Email.objects.order_by("created_at", "id")
        return list(rows.filter(to=to) if to else rows)

    return queued
