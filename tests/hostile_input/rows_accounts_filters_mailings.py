"""Logging in and choosing a language, the pages that read the query string (filters, sent as GET), the API's filters,
and the mailings app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from hypothesis import strategies as st

from coalition.accounts.tests.factories import PASSWORD
from coalition.events.models import Event
from coalition.members.models import Organisation
from tests.hostile_input.endpoint import FAKE_LINK, Endpoint, Fields, World
from tests.hostile_input.kinds import (
    LANGUAGES,
    Kind,
    boolean,
    choice,
    date_kind,
    email,
    hostile_text,
    line,
    number,
    ref,
    text,
    token,
    url,
)


def _public_filters(name: str, path: str, fields: Callable[[World], Fields]) -> Endpoint:
    """A public page that reads its query string (its filters), sent as GET by a visitor."""
    return Endpoint(name, lambda w: path, None, fields, method="get")


def _members_staff_list(name: str, path: str, search: str, **filters: str | Callable[[World], str]) -> Endpoint:
    """A list on the members app's staff pages, sent as GET by Carol: its search box (with a valid search), its
    filters (blank when valid, each with a value it may take), and `format=csv` for the download of what it shows."""

    def fields(w: World) -> Fields:
        chosen: Fields = {key: ("", ref(value(w) if callable(value) else value)) for key, value in filters.items()}
        return {"q": (search, line(100)), **chosen, "format": ("", ref("csv"))}

    return Endpoint(name, lambda w: path, lambda w: w.carol, fields, method="get")


def _mailing_fields(w: World) -> Fields:
    return {
        "name": ("June newsletter", line(200)),
        "mailing_list": (str(w.newsletter_list.pk), ref(w.newsletter_list.pk)),
        "segment": ("", ref()),
        "language": ("en", choice(LANGUAGES)),
        "subject": ("News for {{ first_name | friend }}", line(200)),
        "preheader": ("This month", line(200)),
        "body": ("Hello {{ first_name }} in {{ state }}.", text(20_000)),
        "public": ("on", boolean()),
        "subject_fr": ("Nouvelles", line(200)),
        "body_fr": ("Bonjour {{ first_name }}.", text(20_000)),
    }


ENDPOINTS: list[Endpoint] = [
    # --- accounts and languages
    Endpoint(
        "accounts: log in",
        lambda w: "/accounts/login/",
        None,
        lambda w: {"username": (w.sam.email, email()), "password": (PASSWORD, Kind(hostile_text))},
    ),
    Endpoint(
        "accounts: ask for a password reset",
        lambda w: "/accounts/password-reset/",
        None,
        lambda w: {"email": ("nobody@example.org", email())},
    ),
    Endpoint(
        "accounts: change one's password",
        lambda w: "/accounts/password-change/",
        lambda w: w.sam,
        lambda w: {
            "old_password": (PASSWORD, Kind(hostile_text)),
            "new_password1": ("a long new passphrase", Kind(hostile_text)),
            "new_password2": ("a long new passphrase", Kind(hostile_text)),
        },
    ),
    Endpoint(
        "site: choose a language",
        lambda w: "/i18n/setlang/",
        None,
        lambda w: {"language": ("fr", choice(["en", "fr", "es", "ar"])), "next": ("/events/", url())},
    ),
    # --- pages that read the query string (filters), sent as GET
    _public_filters(
        "events: the calendar's month and filters",
        "/events/calendar/",
        lambda w: {
            "month": (
                "2031-03",
                Kind(st.one_of(st.sampled_from(["9999-12", "0001-01", "1-1", "2031-13"]), hostile_text)),
            ),
            "country": ("", ref("NO")),
            "kind": ("", choice(Event.Kind.values)),
            "organisation": ("", ref(w.org_a.slug)),
        },
    ),
    _public_filters(
        "events: the list's filters",
        "/events/",
        lambda w: {
            "when": ("upcoming", choice(["upcoming", "past", "all"])),
            "date_from": ("2030-01-01", date_kind()),
            "date_to": ("", date_kind()),
            "page": ("1", ref(1)),
        },
    ),
    _public_filters(
        "events: the iCalendar feed's filters",
        "/events/feed.ics",
        lambda w: {"country": ("NO", ref("NO")), "organisation": ("", ref(w.org_a.slug))},
    ),
    _public_filters(
        "members: the directory's search",
        "/members/",
        lambda w: {
            "q": ("alpha", line(100)),
            "country": ("", ref("NO")),
            "type": ("", choice(Organisation.Type.values)),
            "committee": ("", boolean()),
            "page": ("1", ref(1)),
        },
    ),
    _members_staff_list(
        "members: the staff's searches",
        "/members/staff/supporters/",
        search="ana",
        status="confirmed",
        referred_by=lambda w: w.org_a.slug,
    ),
    _members_staff_list(
        "members: the staff's list of organisations",
        "/members/staff/organisations/",
        search="alpha",
        status="member",
        country="NO",
        type="ngo",
    ),
    _public_filters(
        "states: the list's filters",
        "/states/",
        lambda w: {"status": ("", ref("state_party")), "region": ("", ref("africa")), "fact": ("", ref("producer"))},
    ),
    _public_filters(
        "states: the obligations table's filters",
        "/states/obligations/",
        lambda w: {"status": ("", ref("overdue")), "article": ("", ref("7.1")), "due": ("", ref("this_year"))},
    ),
    _public_filters(
        "research: the public figures' filters",
        "/research/",
        lambda w: {"state": ("", ref("LAO")), "year_from": ("2010", number(1940, 2100)), "year_to": ("", number())},
    ),
    _public_filters(
        "research: the public export",
        "/research/export/",
        lambda w: {
            "kind": ("casualty", ref("casualty")),
            "format": ("csv", ref("csv", "hxl", "geojson")),
            "state": ("", ref("LAO")),
            "year_from": ("", number(1940, 2100)),
            "year_to": ("", number(1940, 2100)),
        },
    ),
    Endpoint(
        "research: the researchers' workspace filters",
        lambda w: "/research/workspace/",
        lambda w: w.rita,
        lambda w: {"kind": ("casualty", ref("casualty", "report")), "status": ("", ref("draft")), "page": ("", ref(1))},
        method="get",
    ),
    Endpoint(
        "research: the reviewers' inbox filters",
        lambda w: "/research/review/",
        lambda w: w.vera,
        lambda w: {
            "kind": ("casualty", ref("casualty", "area")),
            "state": ("", ref("LAO")),
            "mine": ("", boolean()),
            "unassigned": ("", boolean()),
        },
        method="get",
    ),
    # --- the API: filters, and writes with a token (every resource is read-only: a write is answered 405).
    # A parameter is left out unless spoiled: given empty it is refused, as the schema says (decision 0901).
    _public_filters(
        "api: filters of the events",
        "/api/v1/events/",
        lambda w: {
            "when": (None, ref("upcoming")),
            "country": (None, ref("NO")),
            "starts_after": (None, date_kind()),
            "starts_before": (None, date_kind()),
            "status": (None, ref("published")),
            "format": (None, ref("json", "csv")),
            "page": (None, ref(1)),
        },
    ),
    _public_filters(
        "api: filters of the casualty totals",
        "/api/v1/research/casualties/summary/",
        lambda w: {
            "state": (None, ref("LAO")),
            "year_from": (None, number(1, 9999)),
            "year_to": (None, number(1, 9999)),
        },
    ),
    _public_filters(
        "api: filters of the casualties",
        "/api/v1/research/casualties/",
        lambda w: {"state": (None, ref("LAO")), "date_from": (None, date_kind()), "date_to": (None, date_kind())},
    ),
    Endpoint(
        "api: filters of the states and organisations",
        lambda w: "/api/v1/{resource}/",
        None,
        lambda w: {
            "status": (None, ref("state_party")),
            "country": (None, ref("NO")),
            "type": (None, ref("ngo")),
            "region": (None, ref("africa")),
            "format": (None, ref("json", "csv")),
        },
        method="get",
        path=lambda w: {"resource": ("states", choice(["states", "organisations", "meetings", "actions"]))},
    ),
    # --- mailings
    Endpoint(
        "mailings: a campaigner writes a mailing",
        lambda w: "/mailings/staff/new/",
        lambda w: w.carol,
        _mailing_fields,
    ),
    Endpoint(
        "mailings: a campaigner changes a draft",
        lambda w: f"/mailings/staff/{w.draft_mailing.pk}/edit/",
        lambda w: w.carol,
        _mailing_fields,
        edits=lambda w: [w.draft_mailing],
    ),
    Endpoint(
        "mailings: a campaigner sends or schedules",
        lambda w: f"/mailings/staff/{w.draft_mailing.pk}/",
        lambda w: w.carol,
        lambda w: {
            "when": ("later", choice(["now", "later"])),
            "send_at": ((timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), date_kind()),
            "zone": ("Europe/Oslo", choice(["Europe/Oslo", "UTC", "Asia/Vientiane"])),
        },
        edits=lambda w: [w.draft_mailing],
    ),
    Endpoint(
        "mailings: a campaigner tests, approves, pauses, resumes or cancels",
        lambda w: f"/mailings/staff/{w.draft_mailing.pk}/decide/",
        lambda w: w.carol,
        lambda w: {"decision": ("test", choice(["test", "approve", "pause", "resume", "cancel"]))},
    ),
    Endpoint(
        "mailings: preview as a named supporter",
        lambda w: f"/mailings/staff/{w.draft_mailing.pk}/preview/",
        lambda w: w.carol,
        lambda w: {"email": ("reader@example.org", email())},
        method="get",
    ),
    Endpoint(
        "mailings: a campaigner saves a segment",
        lambda w: "/mailings/staff/segments/",
        lambda w: w.carol,
        lambda w: {
            "name": ("Norway", line(200)),
            "rules": ('{"all": [{"state": "NO"}, {"not": {"language": "fr"}}]}', text(20_000)),
        },
    ),
    Endpoint(
        "mailings: a campaigner creates a list",
        lambda w: "/mailings/staff/lists/",
        lambda w: w.carol,
        lambda w: {
            "name": ("Action alerts", line(200)),
            "description": ("When there is something to do.", text(20_000)),
            "consent_kind": ("action_alerts", choice(["newsletter", "action_alerts", "event_invitations"])),
            "consent_text": ("E-mail me when there is an action to take.", text(20_000)),
        },
    ),
    Endpoint(
        "mailings: one-click unsubscribe through the link",
        lambda w: "/mailings/unsubscribe/{token}/",
        None,
        lambda w: {"List-Unsubscribe": ("One-Click", line(100))},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    Endpoint(
        "mailings: a supporter chooses their lists through the link",
        lambda w: "/mailings/subscriptions/{token}/",
        None,
        lambda w: {"lists": ([str(w.newsletter_list.pk)], ref(w.newsletter_list.pk))},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    _public_filters(
        "news: the Atom feed's language",
        "/news/feed.atom",
        lambda w: {"language": ("fr", choice(LANGUAGES))},
    ),
]
