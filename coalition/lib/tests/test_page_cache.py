"""Public pages kept for anonymous visitors: forgotten the moment their data changes, never shared between people."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.accounts.tests.factories import UserFactory
from coalition.events import organising as events_organising
from coalition.events.models import Event
from coalition.events.tests.factories import EventFactory
from coalition.letters import services as letters_services
from coalition.letters.models import Letter
from coalition.letters.tests.factories import ActionFactory, official
from coalition.lib import page_cache
from coalition.members.models import Organisation
from coalition.members.organisations import organisation_set_status
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory
from coalition.states import services as states_services
from coalition.states.models import State, TreatyEvent
from coalition.states.tests.factories import MeetingFactory, StateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write and its on-commit callbacks, as a real request's transaction would commit."""

    def run(write: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def get(client: Client, path: str, **headers: Any) -> tuple[int, str, int]:
    """Status, text and the number of queries of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response.status_code, response.content.decode(), len(queries)


@pytest.fixture
def campaigner(db):
    from django.contrib.auth.models import Group

    from coalition.accounts.roles import Role

    user = UserFactory(full_name="Camilla Campaigner", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.CAMPAIGNER))
    return user


# --- each public page: kept, and rendered again as soon as a service changes what it shows -----------------


def _norway(committed: Callable[..., Any]) -> State:
    return committed(lambda: StateFactory(iso3="NOR", name="Norway"))


def test_members_directory_shows_a_new_member_at_once(client, committed, campaigner):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    status, first, queries = get(client, "/members/")
    assert status == 200 and "Oslo Peace Group" in first
    assert get(client, "/members/")[2] == 0  # kept: no query at all
    joining = committed(lambda: OrganisationFactory(name="Bergen Mine Action", status=Organisation.Status.APPLICANT))
    assert "Bergen Mine Action" not in get(client, "/members/")[1]
    committed(lambda: organisation_set_status(organisation=joining, status=Organisation.Status.MEMBER, by=campaigner))
    assert "Bergen Mine Action" in get(client, "/members/")[1]


@pytest.mark.parametrize("path", ["/states/", "/states/NOR/", "/states/obligations/", "/"])
def test_state_pages_show_a_ratification_at_once(client, committed, campaigner, path):
    norway = _norway(committed)

    def record(kind: str, on: date) -> None:
        states_services.treaty_event_record(state=norway, kind=kind, date=on, source="test", by=campaigner)

    committed(lambda: record(TreatyEvent.Kind.SIGNATURE, date(2008, 12, 3)))
    before = get(client, path)[1]
    assert get(client, path)[2] == 0
    committed(lambda: record(TreatyEvent.Kind.RATIFICATION, date(2009, 6, 1)))  # Norway becomes a state party
    after = get(client, path)[1]
    assert _without_tokens(after) != _without_tokens(before)  # the page was rendered again from the new rows
    direct = Client().get(path).content.decode()
    assert _without_tokens(after) == _without_tokens(direct)


def _without_tokens(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def test_meetings_page_shows_a_new_meeting_at_once(client, committed):
    committed(lambda: MeetingFactory(name="First Meeting of States Parties"))
    assert "First Meeting of States Parties" in get(client, "/meetings/")[1]
    assert get(client, "/meetings/")[2] == 0
    committed(lambda: MeetingFactory(name="Second Review Conference"))
    assert "Second Review Conference" in get(client, "/meetings/")[1]


def test_events_page_shows_a_published_event_at_once(client, committed, campaigner):
    committed(lambda: EventFactory(title="Walk for a world without cluster bombs"))
    assert "Walk for a world without cluster bombs" in get(client, "/events/")[1]
    assert get(client, "/events/")[2] == 0
    draft = committed(lambda: EventFactory(title="Vigil at the parliament", status=Event.Status.SUBMITTED))
    assert "Vigil at the parliament" not in get(client, "/events/")[1]
    committed(lambda: events_organising.event_publish(event=draft, by=campaigner))
    assert "Vigil at the parliament" in get(client, "/events/")[1]


def test_action_page_shows_a_change_of_its_text_and_of_its_officials_at_once(client, committed):
    norway = _norway(committed)
    minister = committed(lambda: official(state=norway, name="Espen Barth Eide"))
    action = committed(lambda: ActionFactory(slug="ban-now", title="Ban them now", targets=[minister]))
    path = f"/act/{action.slug}/"
    assert "Ban them now" in get(client, path)[1]
    assert get(client, path)[2] == 0
    action.title = "Norway: lead the ban"
    committed(action.save)  # as the administration saves it
    assert "Norway: lead the ban" in get(client, path)[1]
    before = get(client, path)[1]
    supporter = committed(lambda: SupporterFactory())
    letter = committed(
        lambda: Letter.objects.create(
            action=action, supporter=supporter, name="Kari", town="Oslo", body="Please.", state=norway
        )
    )
    committed(lambda: letters_services.letter_confirm(letter=letter))  # the counters change
    after = get(client, path)[1]
    assert _without_tokens(after) == _without_tokens(before)  # shows no counter: same page
    assert _without_tokens(after) == _without_tokens(Client().get(path).content.decode())


def test_research_page_shows_an_approved_record_at_once(client, committed, campaigner):
    from coalition.research import services as research_services
    from coalition.research.tests.factories import CasualtyFactory

    StateFactory(iso3="LAO", name="Laos")
    before = get(client, "/research/")[1]
    assert get(client, "/research/")[2] == 0
    from django.contrib.auth.models import Group

    from coalition.accounts.roles import Role

    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name=Role.REVIEWER))
    record = committed(lambda: CasualtyFactory(state_id="LAO", status="submitted", killed=7))
    # A submitted record is not public yet.
    assert _without_tokens(get(client, "/research/")[1]) == _without_tokens(before)
    committed(lambda: research_services.record_review(record=record, by=reviewer, decision="approve"))
    after = get(client, "/research/")[1]
    assert _without_tokens(after) != _without_tokens(before)
    assert _without_tokens(after) == _without_tokens(Client().get("/research/").content.decode())


def test_news_page_shows_a_sent_mailing_at_once(client, committed):
    from coalition.mailings.models import Mailing
    from coalition.mailings.tests.factories import MailingFactory

    before = get(client, "/news/")[1]
    assert get(client, "/news/")[2] == 0
    committed(
        lambda: MailingFactory(
            subject="Oslo conference report", status=Mailing.Status.SENT, public=True, started_at=timezone.now()
        )
    )
    after = get(client, "/news/")[1]
    assert _without_tokens(after) != _without_tokens(before)
    assert _without_tokens(after) == _without_tokens(Client().get("/news/").content.decode())


# --- never across people --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/members/", "/states/", "/events/", "/meetings/", "/research/", "/news/"])
def test_a_signed_in_menu_never_reaches_an_anonymous_visitor_and_back(client, path, campaigner):
    signed_in = Client()
    signed_in.force_login(campaigner)
    assert "Log out" in signed_in.get(path).content.decode()
    for _visit in range(2):  # stored for anonymous visitors, then served from the cache
        text = client.get(path).content.decode()
        assert "Log out" not in text and "Log in" in text
    text = signed_in.get(path).content.decode()
    assert "Log out" in text and "Log in" not in text  # not the anonymous copy


def test_each_visitor_gets_a_token_for_their_own_csrf_cookie(committed):
    norway = _norway(committed)
    minister = committed(lambda: official(state=norway))
    committed(lambda: ActionFactory(slug="ban-now", targets=[minister]))
    tokens = []
    for _visitor in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/act/ban-now/")
        text = page.content.decode()
        assert page_cache.CSRF_PLACEHOLDER not in text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert found, "the action page has a form with a CSRF token"
        tokens.append((found.group(1), visitor.cookies["csrftoken"].value))
    (first_token, first_cookie), (second_token, second_cookie) = tokens
    assert first_cookie != second_cookie
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(first_token) == first_cookie
    assert _unmask_cipher_token(second_token) == second_cookie


def test_a_visitor_with_a_message_or_a_session_is_served_their_own_page(client, committed):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    assert get(client, "/members/")[2] > 0
    assert get(client, "/members/")[2] == 0
    client.cookies["sessionid"] = "a-session"
    assert get(client, "/members/")[2] > 0  # not from the cache


def test_a_page_that_reads_the_session_is_not_kept(rf: RequestFactory, db):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    calls = []

    @page_cache.public_page
    def view(request):
        calls.append(1)
        return HttpResponse(request.session.get("greeting", "hello"))

    for _ in range(2):
        request = rf.get("/personal/")
        request.session = SessionStore()
        request.user = AnonymousUser()
        view(request)
    assert len(calls) == 2


# --- revalidation ---------------------------------------------------------------------------------------------


def test_a_matching_etag_gets_304_and_a_change_gets_the_new_page(client, committed):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    first = client.get("/members/")
    etag = first.headers["ETag"]
    again = client.get("/members/", headers={"if-none-match": etag})
    assert again.status_code == 304
    committed(lambda: OrganisationFactory(name="Bergen Mine Action"))
    changed = client.get("/members/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Bergen Mine Action" in changed.content.decode()
    assert changed.headers["ETag"] != etag


def test_a_page_with_a_form_is_revalidated_only_with_the_same_csrf_cookie(committed):
    norway = _norway(committed)
    minister = committed(lambda: official(state=norway))
    committed(lambda: ActionFactory(slug="ban-now", targets=[minister]))
    visitor = Client()
    first = visitor.get("/act/ban-now/")
    etag = first.headers["ETag"]
    assert visitor.get("/act/ban-now/", headers={"if-none-match": etag}).status_code == 304
    stranger = Client()
    assert stranger.get("/act/ban-now/", headers={"if-none-match": etag}).status_code == 200


def test_pages_are_kept_per_language(client, committed):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    english = client.get("/members/", headers={"accept-language": "en"}).content.decode()
    french = client.get("/members/", headers={"accept-language": "fr"}).content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english


# --- writes anywhere are seen ----------------------------------------------------------------------------------


def test_a_write_outside_the_orm_is_seen(client, committed):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    assert "Oslo Peace Group" in get(client, "/members/")[1]

    def rename() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE members_organisation SET name = %s", ["Renamed Group"])

    committed(rename)
    assert "Renamed Group" in get(client, "/members/")[1]


def test_a_rolled_back_write_does_not_keep_other_writes_from_being_seen(client, committed):
    from django.db import transaction

    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    get(client, "/members/")

    def failed_then_good() -> None:
        try:
            with transaction.atomic():
                OrganisationFactory(name="Never There")
                raise RuntimeError
        except RuntimeError:
            pass
        OrganisationFactory(name="Tromsø Action")

    committed(failed_then_good)
    text = get(client, "/members/")[1]
    assert "Tromsø Action" in text and "Never There" not in text


# --- values kept like pages (the API's list pages) -------------------------------------------------------------


def test_a_kept_value_is_computed_once_and_again_when_a_table_it_read_changes(committed):
    committed(lambda: OrganisationFactory(name="Oslo Peace Group"))
    calls = []

    def names() -> list[str]:
        calls.append(1)
        return sorted(Organisation.objects.values_list("name", flat=True))

    assert page_cache.kept("organisation names", names) == ["Oslo Peace Group"]
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.kept("organisation names", names) == ["Oslo Peace Group"]
    assert len(calls) == 1 and len(queries) == 0

    committed(lambda: OrganisationFactory(name="Tromsø Action"))
    assert page_cache.kept("organisation names", names) == ["Oslo Peace Group", "Tromsø Action"]
    assert len(calls) == 2


def test_a_kept_value_is_computed_every_time_with_the_page_cache_off(settings, committed):
    settings.PAGE_CACHE = False
    calls = []
    for _ in range(2):
        page_cache.kept("anything", lambda: calls.append(1))
    assert len(calls) == 2
