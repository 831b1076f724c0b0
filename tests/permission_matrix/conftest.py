"""The world every role requests the routes in (world.py)."""

from __future__ import annotations

import pytest

from tests.permission_matrix.world import World, build


@pytest.fixture
def world(db, settings) -> World:
    return build()
