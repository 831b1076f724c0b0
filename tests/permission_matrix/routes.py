"""Every route the project has, the path each is requested by, and what each role gets on it (matrix.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings as django_settings
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from django.utils import translation

from tests.permission_matrix.matrix import ADMIN_ACCESS, MATRIX
from tests.permission_matrix.paths import PATHS
from tests.permission_matrix.world import World

ROLES = [
    "anon",
    "supporter",
    "editor_own",
    "editor_other",
    "researcher_own",
    "researcher_other",
    "reviewer",
    "campaigner",
    "staff",
    "superuser",
]


def _walk() -> Iterator[tuple[str, Callable[..., Any], bool]]:
    """Every route as (pattern as written, view, whether it is inside `i18n_patterns`), from the resolver itself.

    Inside `i18n_patterns` a route is written as English (unprefixed) reads it; it also answers under /fr/ etc."""

    def walk(patterns: list[Any], prefix: str, translated: bool) -> Iterator[tuple[str, Callable[..., Any], bool]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inside = translated or isinstance(pattern.pattern, LocalePrefixPattern)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inside)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                # The admin's app index lists the installed apps in its regex; one row whatever the apps.
                route = "admin/<app_label>/" if route.startswith("admin/^(?P<app_label>") else route
                yield route, pattern.callback, translated

    with translation.override(django_settings.LANGUAGE_CODE):
        yield from walk(get_resolver().url_patterns, "", False)


def routes() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every route of the project as (pattern as written, view)."""
    for route, view, _translated in _walk():
        yield route, view


def translated_routes() -> set[str]:
    """The routes that also answer under a language prefix (/fr/, /es/, /ar/)."""
    return {route for route, _view, translated in _walk() if translated}


def admin_object_id(model: type) -> str:
    instance = model._default_manager.order_by("pk").first()
    assert instance is not None, f"the world has no {model._meta.label}: add one to _one_of_every_admin_model"
    return str(instance.pk)


# What each role gets, for every route but the admin's model pages (ADMIN_ACCESS below).
# Columns: anon supporter editor(own) editor(other) researcher(own) researcher(other) reviewer campaigner staff


def unsuffixed(route: str) -> str:
    """The route an API route with DRF's format suffix (`.json`) was made from."""
    suffix = r"\.(?P<format>[a-z0-9]+)/?$"
    return route[: -len(suffix)] + "/$" if route.endswith(suffix) else route


def _requested(route: str, objects: dict[str, Any]) -> str:
    found = PATHS[route]
    return found(objects) if callable(found) else found.format(**objects)


def path_for(route: str, objects: dict[str, Any]) -> str:
    """The path requested for a route: from PATHS, or for the admin's model pages from the route itself. Always the
    unprefixed (English) address, whatever language an earlier request left active in this thread."""
    if route in PATHS:
        with translation.override(django_settings.LANGUAGE_CODE):
            return _requested(route, objects)
    if not re.search(r"[<(^$]", route):
        return "/" + route
    base = unsuffixed(route)
    if base in PATHS:
        # The API's format suffix: the same resource as JSON.
        return _requested(base, objects).rstrip("/") + ".json"
    admin_model = re.match(r"^admin/(\w+)/(\w+)/", route)
    if admin_model is None:
        raise KeyError(route)
    from django.apps import apps

    model = apps.get_model(admin_model.group(1), admin_model.group(2))
    object_id = admin_object_id(model)
    return "/" + route.replace("<path:object_id>", object_id).replace("<id>", object_id)


def outcome(response) -> str:
    """A response as the matrix writes it: the status, `L` for a log-in page, `R` for any other redirect."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        return "L" if "/login/" in location else "R"
    return str(response.status_code)


def observe(client, world: World, role: str) -> dict[str, str]:
    user = world.users[role]
    client.logout()
    if user is not None:
        client.force_login(user)
    seen = {}
    for route, _view in routes():
        seen[route] = outcome(client.get(path_for(route, world.objects)))
    return seen


ADMIN_PAGES = {
    "": "view",
    "add/": "add",
    "<path:object_id>/history/": "view",
    "<path:object_id>/change/": "view",
    "<path:object_id>/delete/": "delete",
    "<id>/password/": "add",  # setting someone's password is the user admin's own: superuser only
}
STAFF_ROLES = {"reviewer", "campaigner", "staff", "superuser"}


def expected(route: str) -> list[str]:
    """The row of a route: from MATRIX, or for an admin model page from ADMIN_ACCESS."""
    if route in MATRIX:
        return MATRIX[route].split()
    app, model, page = re.match(r"^admin/(\w+)/(\w+)/(.*)$", route).groups()  # type: ignore[union-attr]
    if page == "<path:object_id>/":
        # The admin's old-style address redirects to the change page, whatever the role.
        return ["L" if role not in STAFF_ROLES else "R" for role in ROLES]
    view, add, delete = ADMIN_ACCESS[f"{app}.{model}"]
    allowed = {"view": view, "add": add, "delete": delete}[ADMIN_PAGES[page]].split()
    return ["L" if role not in STAFF_ROLES else "200" if role in allowed else "403" for role in ROLES]
