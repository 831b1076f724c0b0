from __future__ import annotations

import pytest
from django.utils import translation

from coalition.states import reference_data


@pytest.fixture
def reference(db) -> str:
    """The shipped reference data, loaded as `make run` loads it."""
    return reference_data.load(log=lambda message: None)


@pytest.fixture(autouse=True)
def english_after_each_test():
    # A request in another language leaves it active in the test thread; later tests expect English.
    yield
    translation.activate("en")
