"""Fixtures of the engagement tests: the state most of their meetings are with."""

from __future__ import annotations

import pytest

from coalition.states.tests.factories import StateFactory


@pytest.fixture
def norway(db):
    return StateFactory(iso3="NOR", name="Norway")
