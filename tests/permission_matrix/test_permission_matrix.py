"""Who may open what: every URL the project routes, requested as every role, against one table (__init__.py)."""

from __future__ import annotations

import re

import pytest

from tests.permission_matrix.matrix import ADMIN_ACCESS, MATRIX
from tests.permission_matrix.paths import PATHS
from tests.permission_matrix.routes import (
    ADMIN_PAGES,
    ROLES,
    expected,
    observe,
    outcome,
    path_for,
    routes,
    translated_routes,
    unsuffixed,
)


def test_every_url_is_in_the_matrix():
    unclassified = []
    for route, _view in routes():
        admin_model = re.match(r"^admin/(\w+)/(\w+)/(.*)$", route)
        in_admin_table = (
            admin_model is not None
            and f"{admin_model.group(1)}.{admin_model.group(2)}" in ADMIN_ACCESS
            and (admin_model.group(3) in ADMIN_PAGES or admin_model.group(3) == "<path:object_id>/")
        )
        if route not in MATRIX and not in_admin_table:
            unclassified.append(route)
        if route in MATRIX:
            assert route in PATHS or unsuffixed(route) in PATHS or not re.search(r"[<(^$]", route), (
                f"{route}: say in PATHS where it is requested"
            )
    assert unclassified == [], "new URLs: give each a row in MATRIX (or its model a row in ADMIN_ACCESS)"
    routed = {route for route, _view in routes()}
    assert set(MATRIX) - routed == set(), "rows for URLs that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_on_every_url(client, world, role):
    column = ROLES.index(role)
    wrong = []
    for route, got in observe(client, world, role).items():
        want = expected(route)[column]
        if got != want:
            wrong.append(f"{route} ({path_for(route, world.objects)}): expected {want}, got {got}")
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)


def test_every_translated_route_answers_the_same_under_each_language_prefix(client, world):
    """The matrix's paths are English (no prefix); the same pages under /fr/, /es/ and /ar/ answer alike."""
    translated = translated_routes()
    assert {"", "act/<slug:slug>/", "states/<str:iso3>/"} <= translated
    assert not {route for route in translated if route.startswith(("admin/", "api/"))}, "machine addresses stay put"
    wrong = []
    for index, route in enumerate(sorted(translated)):
        language = ["fr", "es", "ar"][index % 3]
        path = f"/{language}" + path_for(route, world.objects)
        got = outcome(client.get(path))
        if got != expected(route)[ROLES.index("anon")]:
            wrong.append(f"{route} ({path}): expected {expected(route)[0]}, got {got}")
    assert wrong == [], "\n".join(wrong)


# Routes whose parameter is called a token but which carry no one's secret: a large public export's address.
PUBLIC_CAPABILITY_LINKS = {"research/exports/<uuid:token>/"}


def test_every_url_that_carries_a_token_is_a_secret_link():
    """A new confirm/reset/manage link must be wrapped in `secret_link`, or stored e-mails would keep it."""
    for route, view in routes():
        if re.search(r"<(\w+:)?(token|uidb64)>|\(\?P<token>", route) and route not in PUBLIC_CAPABILITY_LINKS:
            assert getattr(view, "secret_link", False), f"{route} carries a token: wrap its view in secret_link"


@pytest.mark.parametrize("role", ["campaigner", "superuser"])
def test_the_outbox_in_outbox_mode_is_the_superusers_alone(client, world, role, settings):
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    client.force_login(world.users[role])
    want = "200" if role == "superuser" else "403"

    for path in ["/staff/outbox/", "/admin/core/outboxmessage/"]:
        assert outcome(client.get(path)) == want, path


def test_no_admin_page_shows_a_secret_link_or_token_even_to_the_superuser(client, world):
    """Tokens acting for a person (an RSVP's manage token, a letter's confirmation, a queued e-mail's reset
    link) are the addressee's alone: not on any admin list or change page, whoever reads it."""
    secrets = {
        "an RSVP's token": world.objects["rsvp"].token,
        "a letter's confirmation token": world.objects["letter_token"],
        "the reset link of a queued e-mail": "/accounts/reset/MQ/x-y/",
    }
    client.force_login(world.users["superuser"])
    for route, _view in routes():
        admin_model = re.match(r"^admin/(\w+)/(\w+)/(|<path:object_id>/change/)$", route)
        if admin_model is None:
            continue
        page = client.get(path_for(route, world.objects)).content.decode()
        for what, secret in secrets.items():
            assert secret not in page, f"{route} shows {what}"
