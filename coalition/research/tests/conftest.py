"""Fixtures of the research tests, on top of the shared cast (coalition/conftest.py: rita, otto, vera and their
organisations)."""

from __future__ import annotations

import pytest

from coalition.research.services import casualty_totals_refresh
from coalition.states.tests.factories import StateFactory


@pytest.fixture
def states(db):
    """The states these tests record in (the importer only accepts states that exist)."""
    return {iso3: StateFactory(iso3=iso3) for iso3 in ("LAO", "SYR", "NOR", "UKR")}


@pytest.fixture
def alpha(org_a):
    """Alpha Aid (the shared `org_a`), for which Rita researches."""
    return org_a


@pytest.fixture
def beta(org_b):
    """Beta Relief (the shared `org_b`), for which Otto researches."""
    return org_b


@pytest.fixture
def refresh_totals():
    """Factories write rows directly; public figures need their totals recounted as the services do."""
    return lambda: casualty_totals_refresh()
