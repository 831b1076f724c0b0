"""The API's actions with their counts, and staff's CSV export (writers' e-mails only for those who may see them)."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.letters import services
from coalition.letters.models import Action
from coalition.letters.tests.factories import ActionFactory
from coalition.letters.tests.helpers import write
from coalition.lib.tests.helpers import body

pytestmark = pytest.mark.django_db


def test_the_api_lists_published_actions_with_their_counts(client, action):
    ActionFactory(slug="draft", status=Action.Status.DRAFT)
    Action.objects.filter(pk=action.pk).update(confirmed_count=7, sent_count=5)

    response = client.get("/api/v1/actions/")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["slug"] == "write-to-norway"
    assert (item["confirmed_count"], item["sent_count"], item["goal"]) == (7, 5, 100)
    assert client.get("/api/v1/actions/write-to-norway/").json()["progress_percent"] == 7
    assert "write-to-norway" in body(client.get("/api/v1/actions/?format=csv"))


def test_the_api_schema_documents_actions(client):
    assert "/api/v1/actions/" in client.get("/api/schema/?format=json").text


def _export(client, user, action) -> list[dict[str, str]]:
    client.force_login(user)
    response = client.get(f"/act/{action.slug}/staff/messages.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def vera(db):
    """Vera is a volunteer with read access to messages only: she must not see supporters' addresses."""
    from django.contrib.auth.models import Permission

    from coalition.accounts.tests.factories import UserFactory

    vera = UserFactory(email="vera@example.org", is_staff=True)
    vera.user_permissions.add(Permission.objects.get(codename="view_message", content_type__app_label="letters"))
    return vera


def test_staff_who_may_not_see_supporters_export_messages_without_the_writers_emails(client, vera, action):
    services.letter_confirm(letter=write(action, email="private@example.org", name="Ana Writer"))

    [row] = _export(client, vera, action)

    assert row["writer_name"] == "Ana Writer" and row["status"] == "pending"
    assert "writer_email" not in row
    assert "private@example.org" not in str(row)


def test_campaigners_who_may_see_supporters_get_their_emails_in_the_export(client, carol, action):
    services.letter_confirm(letter=write(action, email="private@example.org"))

    [row] = _export(client, carol, action)

    assert row["writer_email"] == "private@example.org"


def test_the_export_is_for_staff_only(client, sam, action):
    client.force_login(sam)
    assert client.get(f"/act/{action.slug}/staff/messages.csv").status_code == 403
    client.logout()
    assert client.get(f"/act/{action.slug}/staff/messages.csv").status_code == 302


def test_staff_see_vacant_unverified_and_bouncing_positions(client, carol, norway):
    from coalition.letters.tests.factories import PositionFactory

    PositionFactory(state=norway, title="Vacant post")
    client.force_login(carol)
    response = client.get("/act/staff/officials/")
    assert response.status_code == 200
    assert "Vacant post" in response.text


@pytest.mark.parametrize("extra", [0, 30])
def test_the_actions_api_runs_a_fixed_number_of_queries(client, action, extra, django_assert_num_queries):
    ActionFactory.create_batch(extra)

    with django_assert_num_queries(2):  # the page and the count
        response = client.get("/api/v1/actions/")

    assert response.status_code == 200
