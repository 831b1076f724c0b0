"""How the whole suite runs: in one process per core (`make test`, pytest-xdist) and, locally, on a kept database.

The fixtures and the cast of users are in coalition/conftest.py.
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """`--reuse-db` (`make test REUSE_DB=1`) keeps the SQLite test database in a file under var/ (an in-memory one
    cannot be kept); each xdist worker gets its own (pytest-django adds `_gw0`, `_gw1`)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if config.getoption("reuse_db", False) and database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        # Django may already have filled TEST in with NAME None (meaning in memory): a setdefault would keep that.
        test["NAME"] = test.get("NAME") or str(settings.VAR_DIR / "test-database.sqlite3")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker, the slow tests (real processes, minutes each) are handed out first, so that no worker
    is left with one of them at the end while the others wait. Otherwise the order stays as collected."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _check_groups_kept(config, items)
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _check_groups_kept(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share one Redis database or one migrated installation are marked `xdist_group`; xdist keeps a
    group in one worker by adding `@group` to the test's id, which some pytest releases silently prevent
    (pytest-dev/pytest-xdist#1386). Stop at once rather than run them apart."""
    if not config.getvalue("loadgroup"):
        return
    lost = [item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(f"pytest-xdist did not keep the xdist_group of {lost[0]} (and {len(lost) - 1} more)")
