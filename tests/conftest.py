"""Tests outside the package (browser tests) use the same fixtures and cast as the apps' tests."""

import pytest

from coalition.conftest import *  # noqa: F403


@pytest.fixture
def world(db, settings):
    """One of everything, owned by Alpha Aid, and one user per role: the permission matrix's world, which the page
    walks (test_public_pages, browser/test_accessibility) request too."""
    from tests.permission_matrix.world import build

    return build()
