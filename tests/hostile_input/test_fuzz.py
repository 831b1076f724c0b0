"""Hostile input to every endpoint never reaches a 500, and a refused submission stores nothing (see __init__.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile_input import (
    rows_accounts_filters_mailings,
    rows_engagement_letters_states,
    rows_members_events,
    rows_research,
)
from tests.hostile_input.endpoint import FAKE_LINK, World
from tests.hostile_input.kinds import EXAMPLES, json_bodies
from tests.hostile_input.running import (
    RolledBack,
    counted_tables,
    form_errors,
    prepare,
    read_to_end,
    row_counts,
    run_example,
    send,
)

pytestmark = pytest.mark.django_db


ENDPOINTS = [
    *rows_members_events.ENDPOINTS,
    *rows_engagement_letters_states.ENDPOINTS,
    *rows_research.ENDPOINTS,
    *rows_accounts_filters_mailings.ENDPOINTS,
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_hostile_input_never_reaches_a_500_and_a_refused_submission_stores_nothing(endpoint, request, client):
    world = World(request)
    before = prepare(endpoint, world, client)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        print_blob=True,  # a failure prints the @reproduce_failure line that replays it
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        cache.clear()  # rate limits and cached pages start afresh
        try:
            with transaction.atomic():
                run_example(client, endpoint, world, before, data)
                raise RolledBack
        except RolledBack:
            pass

    examples()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_the_valid_submission_of_each_endpoint_is_accepted(endpoint, request, client):
    """The fuzzer starts from these values: were they refused already, it would never reach the deeper checks."""
    world = World(request)
    for name in endpoint.needs:
        getattr(world, name)
    if endpoint.user is not None:
        client.force_login(endpoint.user(world))
    fields = {name: valid for name, (valid, _kind) in endpoint.fields(world).items()}
    path = endpoint.url(world).format(**{name: valid for name, (valid, _kind) in endpoint.path(world).items()})
    response = send(client, endpoint, path, {k: v for k, v in fields.items() if v is not None})
    read_to_end(response)
    assert response.status_code < 500
    assert not form_errors(response), f"{endpoint.name}: {form_errors(response)}"
    if FAKE_LINK not in path:
        assert response.status_code < 400, f"{endpoint.name} refused its valid submission ({response.status_code})"


# Write endpoints of the API, fuzzed like the forms; none yet: every resource of /api/v1/ is read-only.
API_WRITES: set[str] = set()


def test_every_api_resource_is_read_only_or_fuzzed():
    from coalition.api.router import router

    writable = {
        prefix
        for prefix, viewset, _basename in router.registry
        if {"create", "update", "partial_update", "destroy"} & set(dir(viewset))
    }
    assert writable <= API_WRITES, f"fuzz these write endpoints of the API (add them to ENDPOINTS): {writable}"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_the_read_only_api_with_a_token_is_refused_and_stores_nothing(client, api_token, method):
    from coalition.api.router import router

    tables = counted_tables()
    before = row_counts(tables)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(prefix=st.sampled_from([prefix for prefix, _viewset, _basename in router.registry]), body=json_bodies)
    def examples(prefix: str, body: Any) -> None:
        for path in (f"/api/v1/{prefix}/", f"/api/v1/{prefix}/1/"):
            response = getattr(client, method)(
                path, body, content_type="application/json", headers={"Authorization": f"Token {api_token}"}
            )
            assert response.status_code in {400, 401, 403, 404, 405}, f"{method.upper()} {path} {body!r}"
        assert row_counts(tables) == before

    examples()
