"""Hostile input never reaches a 500, and a refused submission stores nothing (issue 11).

Hypothesis posts random and hostile values (very long strings, control characters, CR/LF, NUL, script tags,
formula prefixes, huge numbers, wrong types, malformed dates, unknown choices) to every form and write endpoint
of the project. Each example starts from a valid submission and spoils some of its fields, so the values reach
every check a form makes, and runs in a savepoint rolled back afterwards. After each request:

- the answer is never a 5xx (nor an exception);
- when the answer refuses the submission (4xx, or the form shown again with errors), no row was added or
  removed in any table and the record being edited is unchanged;
- a value the rules say must be refused (NUL anywhere, a line break or control character in a one-line field,
  text over the field's limit, a number beyond its range, an unknown choice) is refused: nothing is stored,
  and a page shown again says why.

To cover a new form, add a row to ENDPOINTS: who posts, the URL, and each field with a valid value and its
kind (`line`, `text`, `number`, `choice`, ...). A URL that is neither in ENDPOINTS nor in WITHOUT_INPUT fails
`test_every_url_takes_its_input_through_a_fuzzed_endpoint`. HOSTILE_INPUT_EXAMPLES sets the examples per
endpoint (default 12: the whole file runs in well under a minute on two cores).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import global_settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_countries import countries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import PASSWORD, UserFactory
from coalition.events.models import RSVP, Event, EventReport, ReportPhoto
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.letters import services as letters_services
from coalition.letters import tokens as letters_tokens
from coalition.letters.models import Action, Letter, Message
from coalition.letters.models import Role as OfficialRole
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.members.models import Interest, Organisation
from coalition.members.supporters import DATA_LINK_SALT, supporter_token
from coalition.members.tests.factories import ApplicationFactory, SupporterFactory
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    Casualty,
    ContaminatedArea,
    PlacedRecord,
    Researcher,
    Status,
    Strike,
)
from coalition.research.tests.factories import AreaFactory, CasualtyFactory, ReportFactory, StrikeFactory
from coalition.states.models import NationalMeasure
from coalition.states.tests.factories import NationalMeasureFactory, StateFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HOSTILE_INPUT_EXAMPLES", "12"))
INTEGER_MAX = 2_147_483_647
COUNTRIES = [code for code, _name in countries]
LANGUAGES = [code for code, _name in global_settings.LANGUAGES]

# --- values -------------------------------------------------------------------------------------------------

SNIPPETS = [
    "\r\n",
    "\n",
    "\r",
    "\x00",
    "\t",
    "\x0b",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "'; DROP TABLE events_event; --",
    "{{ supporter_name }}",
    "{% debug %}",
    "%(name)s %s %n",
    "../../etc/passwd",
    "Bcc: victim@example.org",
    "𒀱ﷺ",
]
LONG_LENGTHS = [201, 301, 4_001, 20_001, 1_000_000]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=20),
    st.tuples(st.text(max_size=12), st.sampled_from(SNIPPETS), st.text(max_size=12)).map("".join),
    st.sampled_from(LONG_LENGTHS).map(lambda n: "ā" * n),
)
wrong_types = st.one_of(
    st.lists(st.text(max_size=10), min_size=2, max_size=3),  # the field sent several times
    st.builds(lambda: SimpleUploadedFile("value.txt", b"a file where text was expected")),
)
# What a client might send to the API as JSON: any nesting of any values.
json_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
uploads = st.sampled_from(
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a PNG signature and nothing after it
        ("report.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.txt", b"just text"),
        ("a\r\nb.pdf", b"%PDF-1.4\n"),
        ("a" * 300 + ".png", b"GIF89a"),
        ("empty.csv", b""),
        ("rows.csv", b"name,country\n=cmd|' /C calc'!A0,NO\n\x00,\xff\xfe\n"),
    ]
).map(lambda item: SimpleUploadedFile(item[0], item[1]))


def _last(value: Any) -> Any:
    """What a form reads from a field sent several times: the last value."""
    return value[-1] if isinstance(value, list) and value else value


def _has_nul(value: Any) -> bool:
    return any("\x00" in item for item in (value if isinstance(value, list) else [value]) if isinstance(item, str))


def _controls(text: str, *, allowed: str = "") -> bool:
    return any((unicodedata.category(c) == "Cc" or c in "\u2028\u2029") and c not in allowed for c in text)


@dataclass(frozen=True)
class Kind:
    """What a field takes: the values to try, and which of them the form must refuse."""

    values: st.SearchStrategy[Any]
    must_refuse: Callable[[Any], bool] = lambda value: False
    # False for a file field: the form reads the uploaded file, never text sent under its name.
    reads_text: bool = True
    # True for check boxes: the form reads every value sent under the name, not only the last.
    several: bool = False


def line(max_length: int) -> Kind:
    """One line of text (a name, a title, a subject): line breaks and control characters are refused."""

    def refused(value: Any) -> bool:
        text = _last(value)
        return isinstance(text, str) and (_controls(text.strip()) or len(text.strip()) > max_length)

    return Kind(hostile_text, refused)


def text(max_length: int) -> Kind:
    """Several lines: line breaks and tabs are fine, other control characters and NUL are not."""

    def refused(value: Any) -> bool:
        text = _last(value)
        return isinstance(text, str) and (_controls(text.strip(), allowed="\t\r\n") or len(text.strip()) > max_length)

    return Kind(hostile_text, refused)


def number(minimum: int = -INTEGER_MAX, maximum: int = INTEGER_MAX) -> Kind:
    values = st.one_of(
        st.integers().map(str),
        st.integers(min_value=minimum - 2, max_value=min(maximum, 10**6) + 2).map(str),
        st.sampled_from(
            ["1e23", "1" + "0" * 23, "-1", "NaN", "inf", "-inf", "1e400", "0x10", "١٢", "²", "1_000", " 7 ", "3.5"]
        ),
        st.just("9" * 5000),
        st.floats().map(str),
        hostile_text,
    )

    def refused(value: Any) -> bool:
        try:
            amount = Decimal(str(_last(value)).strip())
        except (InvalidOperation, ValueError):
            return False
        return amount.is_finite() and not minimum <= amount <= maximum

    return Kind(values, refused)


def choice(options: Iterable[str]) -> Kind:
    """One of fixed options; anything else is refused."""
    options = [str(option) for option in options]

    def refused(value: Any) -> bool:
        chosen = _last(value)
        return isinstance(chosen, str) and chosen != "" and chosen not in options

    return Kind(st.one_of(st.sampled_from(options), hostile_text), refused)


def several(options: Iterable[str]) -> Kind:
    """Any number of fixed options (check boxes)."""
    options = [str(option) for option in options]
    return Kind(
        st.lists(st.one_of(st.sampled_from(options), hostile_text), max_size=4),
        lambda value: isinstance(value, list) and any(item not in options for item in value if item != ""),
        several=True,
    )


def ref(*valid: Any) -> Kind:
    """The id (or code) of a row; what does not name one is refused by the form or answered 404."""
    return Kind(
        st.one_of(
            st.sampled_from([str(v) for v in valid] or ["1"]),
            st.sampled_from(["0", "-1", "99999999999999999999999", "1.5", "²", "١", "LAO\x00", " 1", "abc"]),
            hostile_text,
        )
    )


def date_kind() -> Kind:
    return Kind(
        st.one_of(
            st.dates().map(str),
            st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
            st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "1-1", "99999-01-01", "today"]),
            hostile_text,
        )
    )


def email() -> Kind:
    def refused(value: Any) -> bool:
        text = _last(value)
        return isinstance(text, str) and (_controls(text.strip()) or len(text.strip()) > 320)

    return Kind(
        st.one_of(
            st.emails().map(str),
            st.sampled_from(["ana@example.org\r\nBcc: victim@example.org", "a@b", "@", "ana@exam ple.org"]),
            hostile_text,
        ),
        refused,
    )


def url() -> Kind:
    def refused(value: Any) -> bool:
        text = _last(value)
        return isinstance(text, str) and _controls(text.strip())

    return Kind(
        st.one_of(
            st.sampled_from(
                [
                    "https://example.org",
                    "javascript:alert(1)",
                    "http://localhost:8000/admin/",
                    "//evil.example",
                    "https://exa mple.org",
                    "http://[::1",
                    "https://" + "a" * 5000 + ".example",
                ]
            ),
            hostile_text,
        ),
        refused,
    )


def boolean() -> Kind:
    """A check box: whatever is sent under its name only ticks it."""
    return Kind(st.one_of(st.sampled_from(["on", "", "true", "false", "0", "off"]), hostile_text), reads_text=False)


def upload() -> Kind:
    return Kind(st.one_of(uploads, hostile_text), reads_text=False)


def token() -> Kind:
    """A part of the URL standing for a secret link: anything but a link we sent is answered 400 or 404."""
    return Kind(st.one_of(hostile_text, st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_", max_size=80)))


def clearance(maximum: int) -> Kind:
    """`year: m²` pairs; an area beyond the ceiling (the issue's 10^23) is refused."""
    pair = st.tuples(st.integers(1930, 2100), st.integers(-10, 10**30)).map(lambda p: f"{p[0]}: {p[1]}")
    values = st.one_of(st.lists(pair, min_size=1, max_size=4).map(", ".join), hostile_text)

    def refused(value: Any) -> bool:
        pairs = str(_last(value)).split(",")
        try:
            return any(int(part.split(":")[1]) > maximum for part in pairs)
        except (IndexError, ValueError):
            return False

    return Kind(values, refused)


# --- the world the endpoints act on ----------------------------------------------------------------------------


def _role(user, role: Role):
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def laos(db):
    return StateFactory(iso3="LAO", name="Laos")


@pytest.fixture
def rita(org_a):
    """Rita researches for Alpha Aid (org_a): she writes its records."""
    user = _role(UserFactory(email="rita@alpha.example.org", full_name="Rita Researcher"), Role.RESEARCHER)
    Researcher.objects.create(user=user, organisation=org_a)
    return user


@pytest.fixture
def vera(db):
    """Vera is coalition staff reviewing research: decides on records and imports files."""
    return _role(UserFactory(email="vera@example.org", full_name="Vera Reviewer", is_staff=True), Role.REVIEWER)


@pytest.fixture
def api_token(carol):
    return Token.objects.create(user=carol).key


@pytest.fixture
def published_event(org_a):
    return EventFactory(organisation=org_a, capacity=50)


@pytest.fixture
def draft_event(org_a):
    return EventFactory(organisation=org_a, status=Event.Status.DRAFT, published_at=None)


@pytest.fixture
def submitted_event(org_a):
    return EventFactory(organisation=org_a, status=Event.Status.SUBMITTED, published_at=None)


@pytest.fixture
def past_event(org_a):
    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    return EventFactory(organisation=org_a, starts_at=start, ends_at=start + timedelta(hours=2))


def _real_png() -> bytes:
    """A picture Pillow and the photo check accept (photos are checked by their content)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def report_photo(past_event, edna):
    report = EventReport.objects.create(event=past_event, attendance=40, written_by=edna)
    image = SimpleUploadedFile("panel.png", _real_png(), content_type="image/png")
    return ReportPhoto.objects.create(report=report, image=image, caption="The panel")


@pytest.fixture
def sam_with_two_factors(sam):
    """Sam chose to use two factors (optional for supporters), so he may turn them off."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=sam, confirmed=True)
    StaticDevice.objects.create(user=sam, confirmed=True)
    return sam


@pytest.fixture
def rsvp(published_event):
    return RSVPFactory(event=published_event, status=RSVP.Status.CONFIRMED)


@pytest.fixture
def live_action(norway):
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    return ActionFactory(slug="write-to-norway", title="Write to Norway", targets=[minister])


@pytest.fixture
def held_message(live_action):
    letter = write(live_action, email="held@example.org")
    letters_services.letter_confirm(letter=letter)
    message = Message.objects.filter(letter=letter).first()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.HELD)
    return message


@pytest.fixture
def letter_link(live_action):
    """The supporter's own link to their sent letter (its follow-up question)."""
    letter = write(live_action, email="sent@example.org")
    letters_services.letter_confirm(letter=letter)
    Message.objects.filter(letter=letter).update(status=Message.Status.SENT)
    letter = Letter.objects.get(pk=letter.pk)
    messages = list(letter.messages.all())
    return letters_tokens.letter_token(letter, salt=letters_tokens.LETTER_LINK_SALT), messages


# Where the test has no real link to start from (the link is only in an e-mail's text, or its form is another
# team's to change): every token tried is then a hostile one, answered 400 or 404.
FAKE_LINK = "not-a-link"


@pytest.fixture
def confirm_link(live_action):
    """The link in the e-mail asking a writer to confirm their letter."""
    return letters_tokens.letter_token(write(live_action, email="confirm-me@example.org"))


@pytest.fixture
def data_link(db):
    supporter = SupporterFactory(email="erase-me@example.org")
    return supporter_token(supporter, salt=DATA_LINK_SALT)


@pytest.fixture
def application(db):
    return ApplicationFactory()


@pytest.fixture
def norway(db):
    return StateFactory(iso3="NOR", name="Norway")


@pytest.fixture
def measure(norway):
    return NationalMeasureFactory(state=norway)


@pytest.fixture
def draft_records(org_a, laos):
    draft = {"organisation": org_a, "status": Status.DRAFT}
    return {
        "casualty": CasualtyFactory(state=laos, **draft),
        "strike": StrikeFactory(state=laos, **draft),
        "area": AreaFactory(state=laos, **draft),
        "report": ReportFactory(**draft),
    }


@pytest.fixture
def submitted_casualty(org_a, laos):
    return CasualtyFactory(state=laos, organisation=org_a, status=Status.SUBMITTED)


@pytest.fixture
def official_meeting(org_a, norway):
    """A meeting with Norway's officials recorded by Alpha Aid, with one commitment."""
    from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory

    meeting = OfficialMeetingFactory(state=norway, organisation=org_a)
    CommitmentFactory(meeting=meeting)
    return meeting


@pytest.fixture
def norway_minister(norway):
    return official(state=norway, name="Espen Barth Eide", email="espen@mfa.no.example")


@pytest.fixture
def msp_delegation(carol, edna, bruno, norway):
    """The coalition's delegation to a treaty meeting: Edna sits in it; Bruno may be added."""
    from coalition.engagement.models import Delegate, Delegation
    from coalition.states.tests.factories import MeetingFactory

    delegation = Delegation.objects.create(meeting=MeetingFactory(slug="msp-hostile"), created_by=carol)
    Delegate.objects.create(delegation=delegation, user=edna)
    return delegation


@pytest.fixture
def newsletter_list(db):
    from coalition.mailings.tests.factories import MailingListFactory

    return MailingListFactory(name="Newsletter", slug="newsletter")


@pytest.fixture
def draft_mailing(newsletter_list, carol):
    from coalition.mailings.tests.factories import MailingFactory, subscriber

    subscriber(newsletter_list, email="reader@example.org")
    return MailingFactory(mailing_list=newsletter_list, created_by=carol)


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


class World:
    """The fixtures an endpoint's row asks for, built on first use (`w.edna`, `w.published_event`)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return self._request.getfixturevalue(name)


# --- the endpoints --------------------------------------------------------------------------------------------

Fields = dict[str, tuple[Any, Kind]]


@dataclass(frozen=True)
class Endpoint:
    """One form or write endpoint: the URL, who sends it, and each field as (a valid value, its kind)."""

    name: str
    url: Callable[[World], str]
    user: Callable[[World], Any] | None
    fields: Callable[[World], Fields]
    method: str = "post"
    # Parts of the URL to spoil too ({name} in the URL, with a valid value and its kind).
    path: Callable[[World], Fields] = lambda w: {}
    # The rows an accepted submission changes; a refused one must leave them as they were.
    edits: Callable[[World], list[Any]] = lambda w: []
    # Fixtures the endpoint needs without naming them in its fields (the state a new record is in).
    needs: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


def _event_fields(w: World, *, creating: bool) -> Fields:
    starts = (timezone.localtime() + timedelta(days=30)).replace(hour=18, minute=0)
    fields: Fields = {
        "kind": ("public_meeting", choice(Event.Kind.values)),
        "title": ("Why the ban matters", line(200)),
        "description": ("An evening **with survivors**.", text(20_000)),
        "starts_at": (starts.strftime("%Y-%m-%dT%H:%M"), date_kind()),
        "ends_at": ((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), date_kind()),
        "timezone": ("Europe/Oslo", choice(["Europe/Oslo", "UTC", "Asia/Vientiane", "America/New_York"])),
        "language": ("en", choice(LANGUAGES)),
        "venue": ("Litteraturhuset", line(200)),
        "address": ("Wergelandsveien 29", line(300)),
        "city": ("Oslo", line(120)),
        "country": ("NO", choice(["", *COUNTRIES])),
        "address_visibility": ("public", choice(Event.AddressVisibility.values)),
        "latitude": ("59.92", number(-90, 90)),
        "longitude": ("10.74", number(-180, 180)),
        "online_url": ("https://example.org/live", url()),
        "capacity": ("80", number(0, 1_000_000)),
        "accessibility": ("Step-free access.", text(4_000)),
        **{f"{code}_title": ("", line(200)) for code in ("en", "fr", "es", "ar")},
        **{f"{code}_description": ("", text(4_000)) for code in ("en", "fr", "es", "ar")},
        "co_hosts": ([], ref(w.org_b.pk)),
        "promoters": ([], ref(w.org_b.pk)),
    }
    if creating:
        fields["organiser"] = (str(w.org_a.pk), ref(w.org_a.pk))
    return fields


PLACE = {
    "state": ("LAO", ref("LAO")),
    "place_name": ("Ban Phone", line(200)),
    "admin_area": ("Xekong", line(200)),
    "latitude": ("15.35", number(-90, 90)),
    "longitude": ("106.72", number(-180, 180)),
    "location_precision": ("approximate", choice(PlacedRecord.Precision.values)),
    "date": ("2021-04-02", date_kind()),
    "date_end": ("", date_kind()),
    "new_source": ("Alpha Aid field visit, April 2021", line(300)),
    "source_url": ("https://example.org/visit", url()),
}
A_GIRL_KILLED = {"killed_female", "killed_children", "killed_girls", "killed_civilians"}
RECORD_FIELDS: dict[str, Fields] = {
    "casualty": {
        "killed": ("1", number(0, 1_000_000)),
        "injured": ("0", number(0, 1_000_000)),
        # Breakdowns of the counts (decision 0602): each optional, none above the total.
        **{name: ("1" if name in A_GIRL_KILLED else "0", number(0, 1_000_000)) for name in BREAKDOWN_FIELDS},
        "activity": ("Collecting firewood", line(200)),
        "phase": ("remnant", choice(Casualty.Phase.values)),
        "external_id": ("A-12", line(100)),
        "name": ("Noy Phimmasone", line(200)),
        "address": ("House 12, Ban Phone", line(300)),
        **PLACE,
    },
    "strike": {
        "munition_type": ("BLU-26/B", line(100)),
        "delivery": ("air_dropped", choice(Strike.Delivery.values)),
        "party_responsible": ("Unknown", line(200)),
        "submunitions": ("600", number(0, 10_000_000)),
        "failure_observations": ("Many duds in rice fields.", text(20_000)),
        **PLACE,
    },
    "area": {
        "hazard_status": ("confirmed", choice(ContaminatedArea.HazardStatus.values)),
        "area_m2": ("25000", number(0, 100_000_000_000)),
        "polygon_text": ("15.1 106.2, 15.2 106.3, 15.1 106.4", text(20_000)),
        "clearance_text": ("2022: 15000, 2023: 40000", clearance(100_000_000_000)),
        **PLACE,
    },
    "report": {
        "title": ("Survey of remnants", line(300)),
        "authors": ("Alpha Aid", line(300)),
        "published_on": ("2023-03-01", date_kind()),
        "summary": ("What we found.", text(20_000)),
        "states": (["LAO"], ref("LAO")),
        "attachment": ("", upload()),
    },
}


def _official_meeting_fields(w: World) -> Fields:
    from coalition.engagement.models import Topic

    return {
        "state": ("NOR", ref("NOR")),
        "organisation": (str(w.org_a.pk), ref(w.org_a.pk)),
        "held_on": ((timezone.localdate() - timedelta(days=1)).isoformat(), date_kind()),
        "status": ("held", choice(["planned", "held", "cancelled"])),
        "format": ("in_person", choice(["in_person", "call", "letters"])),
        "positions": ([str(w.norway_minister.pk)], several([str(w.norway_minister.pk)])),
        "other_officials": ("Kari Nordmann; Adviser", text(4_000)),
        "attendees": ("Edna Editor; Alpha Aid", text(4_000)),
        "topics": (["ratification"], several(Topic.values)),
        "topics_other": ("Transit", line(200)),
        "stated_position": ("considering", choice(["not_stated", "supportive", "considering", "undecided", "opposed"])),
        "commitments": ("Table the bill", text(4_000)),
        "outcome": ("The minister **listened**.", text(20_000)),
        "visibility": ("coalition", choice(["coalition", "restricted"])),
        "attachment": ("", upload()),
    }


def _official_meeting_filters(w: World) -> Fields:
    return {
        "state": ("NOR", ref("NOR")),
        "organisation": (str(w.org_a.pk), ref(w.org_a.pk)),
        "official": ("Ingrid", line(100)),
        "date_from": ("2020-01-01", date_kind()),
        "date_to": ("", date_kind()),
        "commitment_status": ("made", choice(["made", "in_progress", "kept", "broken"])),
        "page": ("1", ref(1)),
    }


def _measure_fields(w: World) -> Fields:
    return {
        "kind": ("moratorium", choice(NationalMeasure.Kind.values)),
        "title": ("Moratorium on use", line(200)),
        "status": ("in_force", choice(NationalMeasure.Status.values)),
        "description": ("Announced by the government.", text(20_000)),
        "started": ("2020-01-01", date_kind()),
        "deadline": ("", date_kind()),
        "completed": ("", date_kind()),
        "munitions_destroyed": ("100", number(0)),
        "munitions_remaining": ("", number(0)),
        "submunitions_destroyed": ("", number(0)),
        "submunitions_remaining": ("", number(0)),
        "source": ("https://example.org/measure", text(20_000)),
    }


def _action_editor_fields(w: World, *, slug: str) -> Fields:
    minister = w.live_action.positions.get()
    fields: Fields = {
        "title": ("Ask the minister", line(200)),
        "slug": (slug, line(80)),
        "ask": ("Join the Convention.", text(20_000)),
        "background": ("", text(20_000)),
        "language": ("en", choice(["en", "fr", "es", "ar"])),
        "languages": (["en", "fr"], several(["en", "fr", "es", "ar"])),
        "letter_subject": ("Please join", line(200)),
        "letter_template": ("Please join the Convention on Cluster Munitions.", text(20_000)),
        "goal": ("500", number(0, 2_147_483_647)),
        "starts_on": ("2025-01-01", date_kind()),
        "ends_on": ("", date_kind()),
        "target": ("fixed", choice(Action.Target.values)),
        "target_role": ("", choice(["", *OfficialRole.values])),
        "target_treaty_status": ("", choice(["", "state_party", "signatory", "non_signatory"])),
        "positions": ([str(minister.pk)], ref(minister.pk)),
        "show_replies": ("on", boolean()),
        "save": ("1", boolean()),
    }
    for code in ("en", "fr", "es", "ar"):
        offered = code == "fr"
        fields[f"{code}_title"] = ("Écrivez" if offered else "", line(200))
        fields[f"{code}_ask"] = ("Adhérez." if offered else "", text(5_000))
        fields[f"{code}_background"] = ("", text(5_000))
        fields[f"{code}_letter_subject"] = ("Adhérez" if offered else "", line(200))
        fields[f"{code}_letter_template"] = ("Adhérez à la Convention." if offered else "", text(5_000))
    return fields


def _letter_fields(w: World) -> Fields:
    return {
        "body": (w.live_action.letter_template, text(20_000)),
        "name": ("Ana Writer", line(200)),
        "email": ("ana@example.org", email()),
        "town": ("Bergen", line(200)),
        "delivery": ("email", choice(Letter.Delivery.values)),
        "agree": ("on", boolean()),
        "action_alerts": ("", boolean()),
    }


def _record(kind: str) -> list[Endpoint]:
    return [
        Endpoint(
            f"research: a researcher creates a {kind}",
            lambda w: f"/research/workspace/{kind}/new/",
            lambda w: w.rita,
            lambda w: RECORD_FIELDS[kind],
            needs=("laos",),
        ),
        Endpoint(
            f"research: a researcher edits a {kind}",
            lambda w: f"/research/workspace/{kind}/{w.draft_records[kind].pk}/edit/",
            lambda w: w.rita,
            lambda w: RECORD_FIELDS[kind],
            edits=lambda w: [w.draft_records[kind]],
        ),
    ]


ENDPOINTS: list[Endpoint] = [
    # --- members: the public forms, the editors' profile, the staff's tools
    Endpoint(
        "members: apply to join",
        lambda w: "/members/join/",
        None,
        lambda w: {
            "name": ("Gamma Mine Action", line(200)),
            "type": ("ngo", choice(Organisation.Type.values)),
            "country": ("NO", choice(COUNTRIES)),
            "city": ("Oslo", line(120)),
            "website": ("https://gamma.example", url()),
            "languages": ("English, Lao", line(200)),
            "description": ("We clear remnants.", text(4_000)),
            "public_email": ("info@gamma.example", email()),
            "contact_name": ("Gil Gamma", line(200)),
            "contact_email": ("gil@gamma.example", email()),
            "motivation": ("To join the campaign.", text(4_000)),
        },
    ),
    Endpoint(
        "members: sign up as a supporter",
        lambda w: "/members/sign-up/",
        None,
        lambda w: {
            "name": ("Sam Signup", line(200)),
            "email": ("sam.signup@example.org", email()),
            "country": ("FR", choice(["", *COUNTRIES])),
            "languages": (["en"], several(["en", "fr", "es", "ar"])),
            "interests": ([], several(Interest.values)),
            "consent_newsletter": ("on", boolean()),
        },
    ),
    Endpoint(
        "members: ask for one's data link",
        lambda w: "/members/my-data/",
        None,
        lambda w: {"email": ("supporter@example.org", email())},
    ),
    Endpoint(
        "events: ask for one's reply links again",
        lambda w: "/events/reply/",
        None,
        lambda w: {"email": ("guest@example.org", email())},
    ),
    Endpoint(
        "accounts: a supporter turns two factors off with the password",
        lambda w: "/accounts/two-factor/turn-off/",
        lambda w: w.sam_with_two_factors,
        lambda w: {"password": (PASSWORD, line(4_096))},
    ),
    Endpoint(
        "members: erase one's data through the link",
        lambda w: "/members/my-data/{token}/",
        None,
        lambda w: {"confirm": ("on", boolean())},
        path=lambda w: {"token": (w.data_link, token())},
    ),
    Endpoint(
        "members: confirm a sign-up through the link",
        lambda w: "/members/sign-up/confirm/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    Endpoint(
        "members: an editor edits the profile",
        lambda w: f"/members/{w.org_a.slug}/edit/",
        lambda w: w.edna,
        lambda w: {
            "name": ("Alpha Aid", line(200)),
            "type": ("ngo", choice(Organisation.Type.values)),
            "country": ("NO", choice(COUNTRIES)),
            "city": ("Oslo", line(120)),
            "website": ("https://alpha.example", url()),
            "description": ("We help survivors.", text(20_000)),
            "logo": ("", upload()),
            "languages": ("English", line(200)),
            "contact_email": ("info@alpha.example", email()),
        },
        edits=lambda w: [w.org_a],
    ),
    Endpoint(
        "members: staff change an organisation's status",
        lambda w: f"/members/staff/organisations/{w.org_b.slug}/status/",
        lambda w: w.carol,
        lambda w: {
            "status": ("suspended", choice(Organisation.Status.values)),
            "note": ("Lapsed dues", line(500)),
        },
        edits=lambda w: [w.org_b],
    ),
    Endpoint(
        "members: staff decide on an application",
        lambda w: f"/members/staff/applications/{w.application.pk}/",
        lambda w: w.carol,
        lambda w: {
            "decision": ("reject", choice(["approve", "reject"])),
            "message": ("Not a civil-society organisation.", text(4_000)),
        },
        edits=lambda w: [w.application],
    ),
    Endpoint(
        "members: staff import organisations",
        lambda w: "/members/staff/organisations/import/",
        lambda w: w.carol,
        lambda w: {
            "file": ("", upload()),
            "csv_text": ("name,country\nDelta Demining,NO\n", text(10**9)),
            "confirm": ("", boolean()),
        },
    ),
    # --- events
    Endpoint(
        "events: reply to an event",
        lambda w: f"/events/{w.published_event.pk}/rsvp/",
        None,
        lambda w: {
            "name": ("Ada Lovelace", line(200)),
            "email": ("ada@example.org", email()),
            "guests": ("1", number(0, 5)),
        },
    ),
    Endpoint(
        "events: cancel one's reply through the link",
        lambda w: "/events/reply/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    Endpoint(
        "events: an editor creates an event",
        lambda w: "/events/new/",
        lambda w: w.edna,
        lambda w: _event_fields(w, creating=True),
    ),
    Endpoint(
        "events: an editor edits an event",
        lambda w: f"/events/{w.draft_event.pk}/edit/",
        lambda w: w.edna,
        lambda w: _event_fields(w, creating=False),
        edits=lambda w: [w.draft_event],
    ),
    Endpoint(
        "events: an editor cancels an event",
        lambda w: f"/events/{w.published_event.pk}/cancel/",
        lambda w: w.edna,
        lambda w: {"reason": ("The venue closed.", text(4_000))},
        edits=lambda w: [w.published_event],
    ),
    Endpoint(
        "events: an editor checks someone in",
        lambda w: f"/events/{w.rsvp.event_id}/attendees/",
        lambda w: w.edna,
        lambda w: {
            "rsvp": (str(w.rsvp.pk), ref(w.rsvp.pk)),
            "undo": ("", boolean()),
            "q": ("Ada", line(100)),
        },
    ),
    Endpoint(
        "events: an editor writes the report",
        lambda w: f"/events/{w.past_event.pk}/report/",
        lambda w: w.edna,
        lambda w: {
            "attendance": ("40", number(0, 1_000_000)),
            "notes": ("Good questions from the floor.", text(20_000)),
            "photo": ("", upload()),
            "caption": ("The panel", line(200)),
        },
    ),
    Endpoint(
        "events: an editor removes a report photo",
        lambda w: f"/events/{w.report_photo.report.event_id}/report/",
        lambda w: w.edna,
        lambda w: {"delete_photo": (str(w.report_photo.pk), ref(w.report_photo.pk))},
    ),
    Endpoint(
        "events: staff moderate an event",
        lambda w: f"/events/{w.submitted_event.pk}/review/",
        lambda w: w.carol,
        lambda w: {
            "decision": ("send_back", choice(["publish", "send_back"])),
            "comment": ("Add the address.", text(4_000)),
        },
        edits=lambda w: [w.submitted_event],
    ),
    # --- engagement
    Endpoint(
        "engagement: an editor records a meeting with officials",
        lambda w: "/engagement/meetings/new/",
        lambda w: w.edna,
        lambda w: _official_meeting_fields(w),
    ),
    Endpoint(
        "engagement: an editor edits a meeting with officials",
        lambda w: f"/engagement/meetings/{w.official_meeting.pk}/edit/",
        lambda w: w.edna,
        lambda w: _official_meeting_fields(w),
        edits=lambda w: [w.official_meeting],
    ),
    Endpoint(
        "engagement: an editor sets a commitment's status",
        lambda w: (
            f"/engagement/meetings/{w.official_meeting.pk}/commitments/{w.official_meeting.commitments.get().pk}/"
        ),
        lambda w: w.edna,
        lambda w: {"status": ("kept", choice(["made", "in_progress", "kept", "broken"]))},
        edits=lambda w: [w.official_meeting.commitments.get()],
    ),
    Endpoint(
        "engagement: an editor creates a follow-up",
        lambda w: "/engagement/follow-ups/new/",
        lambda w: w.edna,
        lambda w: {
            "title": ("Send the briefing", line(200)),
            "owner": (str(w.edna.pk), ref(w.edna.pk)),
            "due_on": ((timezone.localdate() + timedelta(days=5)).isoformat(), date_kind()),
            "notes": ("Ask about the bill.", text(4_000)),
            "state": ("NOR", ref("NOR")),
            "meeting": (str(w.official_meeting.pk), number(1)),
            "commitment": ("", number(1)),
        },
    ),
    Endpoint(
        "engagement: staff add a delegate",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/",
        lambda w: w.carol,
        lambda w: {
            "form": ("delegate", choice(["create", "delegate", "assign"])),
            "user": (str(w.bruno.pk), ref(w.bruno.pk)),
            "arrives_on": ("2030-09-01", date_kind()),
            "leaves_on": ("2030-09-05", date_kind()),
        },
    ),
    Endpoint(
        "engagement: staff assign a state to a delegate",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/",
        lambda w: w.carol,
        lambda w: {
            "form": ("assign", choice(["create", "delegate", "assign"])),
            "delegate": (str(w.msp_delegation.delegates.get().pk), ref(w.msp_delegation.delegates.get().pk)),
            "state": ("NOR", ref("NOR")),
            "asks": ("Ratify before the next meeting.", text(4_000)),
        },
    ),
    Endpoint(
        "engagement: a delegate logs a bilateral",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/log/",
        lambda w: w.edna,
        lambda w: {
            "state": ("NOR", ref("NOR")),
            "held_on": (timezone.localdate().isoformat(), date_kind()),
            "officials": ("Ambassador Berg; Permanent Representative", text(4_000)),
            "stated_position": (
                "supportive",
                choice(["not_stated", "supportive", "considering", "undecided", "opposed"]),
            ),
            "outcome": ("Positive.", text(20_000)),
            "commitments": ("Announce ratification", text(4_000)),
            "visibility": ("coalition", choice(["coalition", "restricted"])),
            "follow_up_title": ("Send the kit", line(200)),
            "follow_up_due": ((timezone.localdate() + timedelta(days=7)).isoformat(), date_kind()),
        },
    ),
    Endpoint(
        "engagement: the meetings list's filters",
        lambda w: "/engagement/meetings/",
        lambda w: w.edna,
        lambda w: _official_meeting_filters(w),
        method="get",
        needs=("official_meeting",),
    ),
    Endpoint(
        "engagement: the meetings export's filters",
        lambda w: "/engagement/meetings/export.csv",
        lambda w: w.edna,
        lambda w: _official_meeting_filters(w),
        method="get",
        needs=("official_meeting",),
    ),
    Endpoint(
        "engagement: the follow-ups list's choices",
        lambda w: "/engagement/follow-ups/",
        lambda w: w.carol,
        lambda w: {
            "who": ("everyone", choice(["everyone", "mine"])),
            "show": ("all", choice(["all", "open"])),
            "page": ("1", ref(1)),
        },
        method="get",
    ),
    # --- letters
    Endpoint(
        "letters: write a letter",
        lambda w: f"/act/{w.live_action.slug}/",
        None,
        _letter_fields,
    ),
    Endpoint(
        "letters: preview a letter",
        lambda w: f"/act/{w.live_action.slug}/",
        None,
        lambda w: {**_letter_fields(w), "preview": ("1", boolean())},
    ),
    Endpoint(
        "letters: confirm a letter through the link",
        lambda w: "/act/confirm/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (w.confirm_link, token())},
    ),
    Endpoint(
        "letters: answer the follow-up question",
        lambda w: "/act/replied/{token}/",
        None,
        lambda w: {f"m{m.pk}": ("yes", choice(["yes", "no"])) for m in w.letter_link[1]},
        path=lambda w: {"token": (w.letter_link[0], token())},
    ),
    Endpoint(
        "letters: a campaigner creates an action in the editor",
        lambda w: "/act/staff/new/",
        lambda w: w.carol,
        lambda w: _action_editor_fields(w, slug="new-action"),
    ),
    Endpoint(
        "letters: a campaigner edits an action in the editor",
        lambda w: f"/act/{w.live_action.slug}/staff/edit/",
        lambda w: w.carol,
        lambda w: _action_editor_fields(w, slug=w.live_action.slug),
        edits=lambda w: [w.live_action],
    ),
    Endpoint(
        "letters: staff release or reject a held message",
        lambda w: f"/act/{w.live_action.slug}/staff/review/{w.held_message.pk}/",
        lambda w: w.carol,
        lambda w: {"decision": ("reject", choice(["release", "reject"]))},
    ),
    # --- states
    Endpoint(
        "states: staff add a national measure",
        lambda w: "/states/NOR/measures/new/",
        lambda w: w.carol,
        _measure_fields,
        needs=("norway",),
    ),
    Endpoint(
        "states: staff edit a national measure",
        lambda w: f"/states/measures/{w.measure.pk}/edit/",
        lambda w: w.carol,
        _measure_fields,
        edits=lambda w: [w.measure],
    ),
    # --- research
    *_record("casualty"),
    *_record("strike"),
    *_record("area"),
    *_record("report"),
    Endpoint(
        "research: a researcher adds an attachment",
        lambda w: f"/research/reports/{w.draft_records['report'].pk}/attachments/add/",
        lambda w: w.rita,
        lambda w: {"attachment": ("", upload())},
    ),
    Endpoint(
        "research: a reviewer decides on a record",
        lambda w: f"/research/review/casualty/{w.submitted_casualty.pk}/decide/",
        lambda w: w.vera,
        lambda w: {
            "decision": ("request_changes", choice(["approve", "request_changes", "reject"])),
            "comment": ("Which source?", text(4_000)),
        },
        edits=lambda w: [w.submitted_casualty],
    ),
    Endpoint(
        "research: a reviewer assigns a record",
        lambda w: f"/research/review/casualty/{w.submitted_casualty.pk}/assign/",
        lambda w: w.vera,
        lambda w: {"reviewer": (str(w.vera.pk), ref(w.vera.pk))},
    ),
    Endpoint(
        "research: a reviewer approves records in bulk",
        lambda w: "/research/review/approve/",
        lambda w: w.vera,
        lambda w: {
            "kind": ("casualty", choice(["casualty", "strike", "area", "report"])),
            "records": ([str(w.submitted_casualty.pk)], ref(w.submitted_casualty.pk)),
        },
    ),
    Endpoint(
        "research: a reviewer imports a file",
        lambda w: "/research/import/",
        lambda w: w.vera,
        lambda w: {
            "file": (SimpleUploadedFile("casualties.csv", b"state,date,killed\nLAO,2021-01-01,1\n"), upload()),
            "approve": ("", boolean()),
            "apply": ("", boolean()),
        },
    ),
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
    Endpoint(
        "events: the calendar's month and filters",
        lambda w: "/events/calendar/",
        None,
        lambda w: {
            "month": (
                "2031-03",
                Kind(st.one_of(st.sampled_from(["9999-12", "0001-01", "1-1", "2031-13"]), hostile_text)),
            ),
            "country": ("", ref("NO")),
            "kind": ("", choice(Event.Kind.values)),
            "organisation": ("", ref(w.org_a.slug)),
        },
        method="get",
    ),
    Endpoint(
        "events: the list's filters",
        lambda w: "/events/",
        None,
        lambda w: {
            "when": ("upcoming", choice(["upcoming", "past", "all"])),
            "date_from": ("2030-01-01", date_kind()),
            "date_to": ("", date_kind()),
            "page": ("1", ref(1)),
        },
        method="get",
    ),
    Endpoint(
        "events: the iCalendar feed's filters",
        lambda w: "/events/feed.ics",
        None,
        lambda w: {"country": ("NO", ref("NO")), "organisation": ("", ref(w.org_a.slug))},
        method="get",
    ),
    Endpoint(
        "members: the directory's search",
        lambda w: "/members/",
        None,
        lambda w: {
            "q": ("alpha", line(100)),
            "country": ("", ref("NO")),
            "type": ("", choice(Organisation.Type.values)),
            "committee": ("", boolean()),
            "page": ("1", ref(1)),
        },
        method="get",
    ),
    Endpoint(
        "members: the staff's searches",
        lambda w: "/members/staff/supporters/",
        lambda w: w.carol,
        lambda w: {
            "q": ("ana", line(100)),
            "status": ("", ref("confirmed")),
            "referred_by": ("", ref(w.org_a.slug)),
            "format": ("", ref("csv")),
        },
        method="get",
    ),
    Endpoint(
        "members: the staff's list of organisations",
        lambda w: "/members/staff/organisations/",
        lambda w: w.carol,
        lambda w: {
            "q": ("alpha", line(100)),
            "status": ("", ref("member")),
            "country": ("", ref("NO")),
            "type": ("", ref("ngo")),
            "format": ("", ref("csv")),
        },
        method="get",
    ),
    Endpoint(
        "states: the list's filters",
        lambda w: "/states/",
        None,
        lambda w: {"status": ("", ref("state_party")), "region": ("", ref("africa")), "fact": ("", ref("producer"))},
        method="get",
    ),
    Endpoint(
        "states: the obligations table's filters",
        lambda w: "/states/obligations/",
        None,
        lambda w: {
            "status": ("", ref("overdue")),
            "article": ("", ref("7.1")),
            "due": ("", ref("this_year")),
        },
        method="get",
    ),
    Endpoint(
        "research: the public figures' filters",
        lambda w: "/research/",
        None,
        lambda w: {"state": ("", ref("LAO")), "year_from": ("2010", number(1940, 2100)), "year_to": ("", number())},
        method="get",
    ),
    Endpoint(
        "research: the public export",
        lambda w: "/research/export/",
        None,
        lambda w: {
            "kind": ("casualty", ref("casualty")),
            "format": ("csv", ref("csv", "hxl", "geojson")),
            "state": ("", ref("LAO")),
            "year_from": ("", number(1940, 2100)),
            "year_to": ("", number(1940, 2100)),
        },
        method="get",
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
    Endpoint(
        "api: filters of the events",
        lambda w: "/api/v1/events/",
        None,
        lambda w: {
            "when": (None, ref("upcoming")),
            "country": (None, ref("NO")),
            "starts_after": (None, date_kind()),
            "starts_before": (None, date_kind()),
            "status": (None, ref("published")),
            "format": (None, ref("json", "csv")),
            "page": (None, ref(1)),
        },
        method="get",
    ),
    Endpoint(
        "api: filters of the casualty totals",
        lambda w: "/api/v1/research/casualties/summary/",
        None,
        lambda w: {
            "state": (None, ref("LAO")),
            "year_from": (None, number(1, 9999)),
            "year_to": (None, number(1, 9999)),
        },
        method="get",
    ),
    Endpoint(
        "api: filters of the casualties",
        lambda w: "/api/v1/research/casualties/",
        None,
        lambda w: {"state": (None, ref("LAO")), "date_from": (None, date_kind()), "date_to": (None, date_kind())},
        method="get",
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
    Endpoint(
        "news: the Atom feed's language",
        lambda w: "/news/feed.atom",
        None,
        lambda w: {"language": ("fr", choice(LANGUAGES))},
        method="get",
    ),
]


# --- running one example -----------------------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised at the end of each example, so its savepoint is rolled back."""


def _counted_tables() -> list[str]:
    # Sessions change when someone logs in or a message is kept for the next page: not a stored submission.
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model is not Session
        }
    )


def _row_counts(tables: list[str]) -> dict[str, int]:
    """Every table's row count in one query (the names come from the models, never from input)."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _snapshot(rows: list[Any]) -> list[list[dict[str, Any]]]:
    return [list(type(row)._default_manager.filter(pk=row.pk).values()) for row in rows]


def _form_errors(response: Any) -> list[str]:
    """The errors the page shows from the forms in its context (a form sent back with what to change)."""
    errors: list[str] = []
    for context in response.context or []:
        for layer in context.dicts if hasattr(context, "dicts") else [context]:
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    errors += [f"{name}: {' '.join(messages)}" for name, messages in value.errors.items()]
    return errors


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 160 else f"{shown[:150]}… ({len(shown)} characters)"


# Web servers refuse longer request lines (gunicorn at 4094 bytes): longer query strings never reach Django.
QUERY_VALUE_MAX = 2_000


def _send(client: Any, endpoint: Endpoint, path: str, data: dict[str, Any]) -> Any:
    if endpoint.method == "get":
        plain = {
            name: value[:QUERY_VALUE_MAX] if isinstance(value, str) else value
            for name, value in data.items()
            if not isinstance(value, SimpleUploadedFile)
        }
        return client.get(path, plain)
    return client.post(path, data)


def _read(response: Any) -> None:
    # A streamed download (CSV, iCalendar) fails while it streams: read it to the end.
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@dataclass(frozen=True)
class Before:
    """The database before any example: every table's row count, and the records the endpoint edits."""

    tables: list[str]
    counts: dict[str, int]
    edited: list[Any]
    snapshot: list[Any]


def _run(client: Any, endpoint: Endpoint, world: World, before: Before, data: st.DataObject) -> None:
    """Draw one spoiled submission, send it, and check the answer and the database."""
    fields = endpoint.fields(world)
    path_fields = endpoint.path(world)
    spoiled = data.draw(st.sets(st.sampled_from(sorted([*fields, *path_fields])), min_size=1), label="spoiled")
    values: dict[str, Any] = {}
    must_refuse: list[str] = []
    for name, (valid, kind) in {**fields, **path_fields}.items():
        if name not in spoiled:
            values[name] = valid
            continue
        value = data.draw(
            st.one_of(kind.values, wrong_types, st.just(None)) if name in fields else kind.values, label=name
        )
        values[name] = value
        read = value if kind.several else _last(value)
        if value is not None and ((kind.reads_text and _has_nul(read)) or kind.must_refuse(value)):
            must_refuse.append(name)
    form = {name: value for name, value in values.items() if name in fields and value is not None}
    path = endpoint.url(world).format(**{name: quote(str(values[name]), safe="") for name in path_fields})
    described = f"{endpoint.name}: {endpoint.method.upper()} {_short(path)} with " + ", ".join(
        f"{name}={_short(values[name])}" for name in sorted(spoiled)
    )
    try:
        response = _send(client, endpoint, path, form)
        _read(response)
    except Exception as exc:
        raise AssertionError(f"{described} raised {exc!r}") from exc
    assert response.status_code < 500, f"{described} answered {response.status_code}"
    errors = _form_errors(response)
    refused = response.status_code >= 400 or (response.status_code == 200 and bool(errors))
    if refused or must_refuse:
        counts = _row_counts(before.tables)
        assert counts == before.counts, (
            f"{described} answered {response.status_code}"
            + (f" ({', '.join(must_refuse)} must be refused)" if must_refuse else " refusing it")
            + " but changed "
            + ", ".join(
                f"{table} ({before.counts[table]} → {count})"
                for table, count in counts.items()
                if count != before.counts[table]
            )
        )
        assert _snapshot(before.edited) == before.snapshot, f"{described} changed the record"
    if must_refuse and response.status_code == 200 and endpoint.method == "post":
        assert errors, f"{described}: {', '.join(must_refuse)} must be refused with a message, and the page shows none"


def _prepare(endpoint: Endpoint, world: World, client: Any) -> Before:
    """Build what the endpoint needs and log its user in, before any example (each example is rolled back)."""
    for name in endpoint.needs:
        getattr(world, name)
    endpoint.fields(world)
    endpoint.path(world)
    endpoint.url(world)
    if endpoint.user is not None:
        client.force_login(endpoint.user(world))
    tables = _counted_tables()
    edited = endpoint.edits(world)
    return Before(tables, _row_counts(tables), edited, _snapshot(edited))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_hostile_input_never_reaches_a_500_and_a_refused_submission_stores_nothing(endpoint, request, client):
    world = World(request)
    before = _prepare(endpoint, world, client)

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
                _run(client, endpoint, world, before, data)
                raise _RolledBack
        except _RolledBack:
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
    response = _send(client, endpoint, path, {k: v for k, v in fields.items() if v is not None})
    _read(response)
    assert response.status_code < 500
    assert not _form_errors(response), f"{endpoint.name}: {_form_errors(response)}"
    if FAKE_LINK not in path:
        assert response.status_code < 400, f"{endpoint.name} refused its valid submission ({response.status_code})"


# --- every URL that takes input is covered ------------------------------------------------------------------

# URL names whose views read nothing from the request but the path's ids (and ?page=, which Django's paginator
# reads safely); every other URL of the project is in ENDPOINTS.
WITHOUT_INPUT = {
    "home",
    "staff-work",
    "pages:page",
    "pages:file",
    "two_factor",
    "two_factor_recovery_codes",
    "two_factor_recovery_codes_new",
    "healthz",
    "outbox",
    "outbox-message",
    "javascript-catalog",
    "logout",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change_done",
    "api-schema",
    "api-docs",
    "members:join-thanks",
    "members:sign-up-thanks",
    "members:logo",
    "members:detail",
    "members:staff-applications",
    "members:referrals",
    "members:staff-referrals",
    "events:detail",
    "events:ics",
    "events:mine",
    "events:review-queue",
    "events:submit",
    "events:photo",
    "letters:actions",
    "letters:thanks",
    "letters:letter-pdf",
    "letters:brought",
    "letters:staff-officials",
    "letters:preview",
    "letters:publish",
    "letters:staff-action",
    "letters:staff-export",
    "letters:staff-official-pdf",
    "states:detail",
    "states:brief",
    "states:brief_pdf",
    "meetings:list",
    "meetings:detail",
    "research:export-job",
    "research:reports",
    "research:report",
    "research:attachment",
    "research:record",
    "research:record-submit",
    "research:import-job",
    "engagement:index",
    "engagement:meeting",
    "engagement:attachment",
    "engagement:follow-up-done",
    "delegation:day-sheet",
    "delegation:report",
    # A request for the delegation's briefs posts nothing; its progress page reads only `download`.
    "delegation:briefs",
    "delegation:briefs-job",
    "mailings:staff-list",
    "mailings:staff-suppressions",
    "mailings:staff-progress",
    "news:list",
    "news:item",
    "share-campaign",
    "share-action",
    "share-state",
}
# The URL names the endpoints above post to (a row may cover several, e.g. the record forms of every kind).
COVERED = {
    "members:join",
    "members:sign-up",
    "members:my-data",
    "members:my-data-manage",
    "members:sign-up-confirm",
    "members:edit",
    "members:staff-set-status",
    "members:staff-application",
    "members:staff-import",
    "members:directory",
    "members:staff-supporters",
    "members:staff-organisations",
    "events:rsvp",
    "events:rsvp-manage",
    "events:create",
    "events:edit",
    "events:cancel",
    "events:attendees",
    "events:report",
    "events:review",
    "events:calendar",
    "events:list",
    "events:feed",
    "letters:action",
    "letters:confirm",
    "letters:follow-up",
    "letters:staff-review",
    "letters:editor-new",
    "letters:editor",
    "states:list",
    "states:obligations",
    "states:measure_create",
    "states:measure_update",
    "research:index",
    "research:export",
    "research:workspace",
    "research:record-create",
    "research:record-edit",
    "research:attachment-add",
    "research:inbox",
    "research:decide",
    "research:assign",
    "research:bulk-approve",
    "research:import",
    "login",
    "password_reset",
    "password_change",
    "set_language",
    "events:rsvp-links",
    "two_factor_turn_off",
    "engagement:meetings",
    "engagement:meetings-export",
    "engagement:meeting-create",
    "engagement:meeting-edit",
    "engagement:commitment-status",
    "engagement:follow-ups",
    "engagement:follow-up-create",
    "delegation:detail",
    "delegation:log",
    "mailings:staff-new",
    "mailings:staff-edit",
    "mailings:staff-detail",
    "mailings:staff-decide",
    "mailings:staff-preview",
    "mailings:staff-segments",
    "mailings:staff-lists",
    "mailings:unsubscribe",
    "mailings:subscriptions",
    # A mail provider's JSON, not a form: fuzzed with the shared secret in coalition/mailings/tests/test_bounces.py.
    "mailings:provider-events",
    "news:feed",
    # A one-time code is valid for 30 seconds and bound to the session's secret, so no fixed valid value exists
    # to fuzz around: hostile codes are posted to these by accounts/tests/test_two_factor.py
    # (test_a_hostile_code_is_refused_and_changes_nothing).
    "two_factor_verify",
    "two_factor_enrol",
}


def _url_names(patterns: list[Any], namespace: str = "") -> Iterable[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("api/v1/"):
                continue  # the admin is Django's own; the API's routes are checked by the next test
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_takes_its_input_through_a_fuzzed_endpoint():
    names = set(_url_names(get_resolver().url_patterns))
    unclassified = names - WITHOUT_INPUT - COVERED
    assert not unclassified, (
        f"add these URLs to ENDPOINTS (or, if they read no input, to WITHOUT_INPUT): {unclassified}"
    )
    assert not (WITHOUT_INPUT | COVERED) - names, "names listed here that no longer exist"


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

    tables = _counted_tables()
    before = _row_counts(tables)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(prefix=st.sampled_from([prefix for prefix, _viewset, _basename in router.registry]), body=json_bodies)
    def examples(prefix: str, body: Any) -> None:
        for path in (f"/api/v1/{prefix}/", f"/api/v1/{prefix}/1/"):
            response = getattr(client, method)(
                path, body, content_type="application/json", headers={"Authorization": f"Token {api_token}"}
            )
            assert response.status_code in {400, 401, 403, 404, 405}, f"{method.upper()} {path} {body!r}"
        assert _row_counts(tables) == before

    examples()
