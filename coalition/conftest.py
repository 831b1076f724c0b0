"""Shared fixtures: the cast of named users every app's tests draw on, and task helpers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.worker import run_pending_tasks


@pytest.fixture(autouse=True)
def isolated_settings(settings, tmp_path):
    # MD5 is for tests only: it must NEVER be used in production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Pages are kept only in the page cache's own tests (coalition/lib/tests/test_page_cache.py), which turn it on.
    settings.PAGE_CACHE = False
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Static files straight from the source tree, without collectstatic's manifest.
    # The language a request activated stays active in this thread; each test starts in English.
    translation.activate("en")
    plain_storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain_storage}


@pytest.fixture(autouse=True)
def force_login_is_verified(monkeypatch):
    """`client.force_login(user)` gives a fully logged-in session, second factor included: where the account
    must use two factors (superusers, anyone who may read personal data; accounts.two_factor) or has an
    authenticator app, one is set up if needed and the session is marked verified with it, as django-otp's
    `otp_login` does after a right code. So tests of pages keep testing the pages.

    Tests of the two-factor enforcement itself log in through the real forms, or opt out with
    `client.force_login(user, otp_verified=False)` (a session that has given its password only)."""
    from django.test.client import ClientMixin

    from coalition.accounts.tests.two_factor import force_login_verified

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none.

    The menu of campaign pages starts warm, as on a running site (it is cached there; coalition/site/pages.py), and
    empty, as the test database holds no page until a test writes one (which forgets it).
    """
    from coalition.site.pages import menu_prime_empty

    cache.clear()
    menu_prime_empty()
    yield
    cache.clear()


@pytest.fixture
def outbox_backend(settings):
    """Send mail to the database outbox, as on a laptop with no SMTP server (pytest defaults to locmem)."""
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"


@pytest.fixture
def run_tasks() -> Callable[[], int]:
    """Run every queued task now, as the worker would; returns how many ran."""
    return run_pending_tasks


def _with_role(user, role: Role):
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def alice(db):
    """Alice administers the whole installation (superuser)."""
    return UserFactory(email="alice@example.org", full_name="Alice Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def carol(db):
    """Carol is coalition staff (campaigner): sees the outbox and campaign data, not the admin of users."""
    carol = UserFactory(email="carol@example.org", full_name="Carol Campaigner", is_staff=True)
    return _with_role(carol, Role.CAMPAIGNER)


@pytest.fixture
def sam(db):
    """Sam is a supporter with an account: no staff tools at all."""
    return _with_role(UserFactory(email="sam@example.org", full_name="Sam Supporter"), Role.SUPPORTER)


@pytest.fixture
def org_a(db):
    from coalition.members.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO")


@pytest.fixture
def org_b(db):
    from coalition.members.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Beta Relief", slug="beta-relief", country="LB")


def _editor(email, name, organisation):
    user = _with_role(UserFactory(email=email, full_name=name), Role.ORGANISATION_EDITOR)
    organisation.editors.add(user)
    return user


@pytest.fixture
def edna(org_a):
    """Edna edits Alpha Aid: its profile, its events, its research; nothing of Beta Relief's (403)."""
    return _editor("edna@alpha.example.org", "Edna Editor", org_a)


@pytest.fixture
def bruno(org_b):
    """Bruno edits Beta Relief; he is the 'other organisation' in Edna's tests."""
    return _editor("bruno@beta.example.org", "Bruno Editor", org_b)
