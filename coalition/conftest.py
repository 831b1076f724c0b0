"""Shared fixtures: the cast of named users every app's tests draw on, the shipped reference data, and task helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.core.worker import run_pending_tasks


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, and empty before and after the test."""
    from django.core.cache import caches

    from coalition.lib import page_cache

    settings.PAGE_CACHE = True
    caches[page_cache.ALIAS].clear()
    yield
    caches[page_cache.ALIAS].clear()


@pytest.fixture(autouse=True)
def isolated_settings(settings, tmp_path):
    # MD5 is for tests only: it must NEVER be used in production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Pages are kept only in the tests that ask for `page_cache_on` (the page cache's and the API lists').
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


@pytest.fixture(scope="session")
def reference_rows(django_db_setup, django_db_blocker):
    """The rows the shipped reference data loads, read once per test process (coalition/states/tests/reference.py)."""
    from coalition.states.tests.reference import snapshot

    with django_db_blocker.unblock():
        return snapshot()


@pytest.fixture
def reference(reference_rows, db) -> str:
    """The shipped reference data, as `make run` loads it; returns what the load said."""
    from coalition.states.tests.reference import restore

    return restore(reference_rows)


@pytest.fixture
def outbox_backend(settings):
    """Send mail to the database outbox, as on a laptop with no SMTP server (pytest defaults to locmem)."""
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"


@pytest.fixture
def run_tasks() -> Callable[[], int]:
    """Run every queued task now, as the worker would; returns how many ran."""
    return run_pending_tasks


@pytest.fixture
def post_and_send(client, outbox_backend, run_tasks, django_capture_on_commit_callbacks):
    """Post a form with the test's `client`, then do what the site does after the request: run the callbacks
    waiting for the commit and every task they queued (mail goes to the database outbox). Returns the response."""

    def post(path: str, data: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data)
        run_tasks()
        return response

    return post


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


def _works_for(name: str, full_name: str, role: Role, organisation: str):
    """A fixture `name`: a user with `role` (an organisation's editor or researcher) who works for the organisation
    that the fixture `organisation` makes, with an address at it (edna@alpha.example.org)."""

    def member(request):
        from coalition.research.models import Researcher

        joined = request.getfixturevalue(organisation)
        domain = joined.slug.split("-")[0]
        user = _with_role(UserFactory(email=f"{name}@{domain}.example.org", full_name=full_name), role)
        if role == Role.RESEARCHER:
            Researcher.objects.create(user=user, organisation=joined)
        else:
            joined.editors.add(user)
        return user

    member.__doc__ = f"{full_name}, {role} for the organisation of `{organisation}`."
    return pytest.fixture(member, name=name)


# Edna edits Alpha Aid: its profile, its events, its research; nothing of Beta Relief's (403).
edna = _works_for("edna", "Edna Editor", Role.ORGANISATION_EDITOR, "org_a")
# Bruno edits Beta Relief; he is the 'other organisation' in Edna's tests.
bruno = _works_for("bruno", "Bruno Editor", Role.ORGANISATION_EDITOR, "org_b")
# Rita researches for Alpha Aid: she writes and sees Alpha's records, personal data included.
rita = _works_for("rita", "Rita Researcher", Role.RESEARCHER, "org_a")
# Otto researches for Beta Relief: he must never see Alpha's unpublished records nor their personal data.
otto = _works_for("otto", "Otto Other", Role.RESEARCHER, "org_b")


@pytest.fixture
def vera(db):
    """Vera is coalition staff reviewing research: approves, imports, and may see personal data."""
    return _with_role(UserFactory(email="vera@example.org", full_name="Vera Reviewer", is_staff=True), Role.REVIEWER)
