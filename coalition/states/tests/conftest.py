from __future__ import annotations

import pytest

from coalition.states import reference_data


@pytest.fixture
def reference(db) -> str:
    """The shipped reference data, loaded as `make run` loads it."""
    return reference_data.load(log=lambda message: None)
