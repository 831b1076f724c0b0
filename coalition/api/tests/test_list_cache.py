"""The API's list pages are kept for anonymous readers like the public pages: shared until their data changes,
never shared with (or from) a signed-in reader, and still checked and throttled for every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def titles(client, path="/api/v1/events/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sorted(row["title"] for row in response.json()["results"]), len(queries)


def test_an_anonymous_list_page_is_kept_and_shows_a_change_at_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(title="Vigil in Oslo")
    first, queries = titles(client)
    assert first == ["Vigil in Oslo"] and queries > 0
    assert titles(client) == (["Vigil in Oslo"], 0)  # kept: no query at all

    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(title="March in Geneva")
    assert titles(client)[0] == ["March in Geneva", "Vigil in Oslo"]


def test_a_signed_in_reader_never_gets_the_anonymous_page_nor_leaves_theirs(client, carol):
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    assert titles(client, "/api/v1/events/?status=draft")[0] == []

    client.force_login(carol)
    assert titles(client, "/api/v1/events/?status=draft")[0] == ["Draft"]

    client.logout()
    assert titles(client, "/api/v1/events/?status=draft")[0] == []


def test_parameters_are_still_checked_for_a_kept_page(client):
    EventFactory(title="Vigil in Oslo")
    titles(client)
    response = client.get("/api/v1/events/?when=someday")
    assert response.status_code == 400 and "when" in response.json()
