"""Tests outside the package (browser tests) use the same fixtures and cast as the apps' tests."""

from coalition.conftest import *  # noqa: F403
