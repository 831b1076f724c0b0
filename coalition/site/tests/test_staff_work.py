"""The staff work page: each queue for those who may act on it, a fixed number of queries, links to act."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory
from coalition.letters.models import Action
from coalition.letters.tests.factories import ActionFactory
from coalition.members.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vera(db):
    user = UserFactory(email="vera@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.REVIEWER))
    return user


def _queues(volume: int) -> None:
    for _n in range(volume):
        ApplicationFactory()
        EventFactory(status=Event.Status.SUBMITTED)
        ActionFactory(status=Action.Status.DRAFT)


def test_a_campaigner_sees_counts_and_links_to_each_of_their_queues(client, carol):
    ApplicationFactory(organisation__name="Lebanon Relief")
    EventFactory(status=Event.Status.SUBMITTED, title="Vigil in Oslo")
    ActionFactory(status=Action.Status.DRAFT, slug="draft-one", title="Write to Laos")
    client.force_login(carol)

    content = client.get("/staff/").content.decode()

    assert 'href="/members/staff/applications/"' in content and "Lebanon Relief" in content
    assert 'href="/events/review/"' in content and "Vigil in Oslo" in content
    assert 'href="/act/draft-one/staff/edit/"' in content, "a draft opens in the action editor"
    assert 'href="/act/draft-one/preview/"' in content
    assert 'action="/act/draft-one/publish/"' in content
    assert 'id="queue-research-casualty"' not in content  # reviewers' work, not a campaigner's
    assert 'id="queue-outbox"' not in content


def test_a_reviewer_sees_only_the_research_queues(client, vera):
    client.force_login(vera)

    content = client.get("/staff/").content.decode()

    assert 'id="queue-research-casualty"' in content
    assert 'id="queue-members-application"' not in content and 'id="queue-letters-draft-action"' not in content


def test_the_outbox_block_is_the_superusers_alone(client, alice, carol, outbox_backend):
    client.force_login(alice)
    assert 'id="queue-outbox"' in client.get("/staff/").content.decode()
    client.force_login(carol)
    assert 'id="queue-outbox"' not in client.get("/staff/").content.decode()


def test_supporters_and_editors_get_no_work_page(client, sam, edna):
    assert client.get("/staff/").status_code == 302
    for user in (sam, edna):
        client.force_login(user)
        assert client.get("/staff/").status_code == 403


def test_the_navigation_leads_staff_to_their_work_engagement_and_mailings(client, carol, sam):
    client.force_login(carol)
    nav = client.get("/").content.decode().split('id="site-nav"')[1].split("</nav>")[0]
    assert 'href="/staff/"' in nav and 'href="/engagement/"' in nav and 'href="/mailings/staff/"' in nav

    client.force_login(sam)
    nav = client.get("/").content.decode().split('id="site-nav"')[1].split("</nav>")[0]
    assert 'href="/staff/"' not in nav and 'href="/engagement/"' not in nav and "/mailings/" not in nav


@pytest.mark.parametrize("volume", [1, 8])
def test_the_work_page_runs_a_fixed_number_of_queries(client, alice, django_assert_num_queries, volume):
    _queues(volume)
    client.force_login(alice)
    client.get("/staff/")
    with django_assert_num_queries(22):
        assert client.get("/staff/").status_code == 200
