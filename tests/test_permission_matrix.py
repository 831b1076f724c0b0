"""Who may open what: every URL the project routes, requested as every role, against one table.

The URLs come from Django's resolver, so a new URL fails `test_every_url_is_in_the_matrix` until it is
given a row here. Each row says what each role gets for a GET: a status code, `L` (sent to log in) or
`R` (redirected elsewhere). Columns, in order:

    anon  supporter  editor(own)  editor(other)  researcher(own)  researcher(other)
    reviewer  campaigner  staff  superuser

"own" is the organisation (Alpha Aid) that holds every object of the world below; "other" is Beta
Relief. `staff` is an account with the admin flag and no role. Every user here logs in with a
verified session (two-factor done), as they would after logging in.

Secret links (confirm, reset, "your data", RSVP) are requested with a token that is not theirs: no role
opens them without the link. The takeover of issue 11 is the row of `staff/outbox/` and of the
admin's e-mails (coalition/core/tests/test_secret_links.py walks it step by step).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from django.utils import translation
from PIL import Image

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory

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


def _png() -> bytes:
    """A real picture: report photos are checked by their content (coalition/events/photos.py)."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


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


@dataclass
class World:
    """One of everything, owned by Alpha Aid, and one user per role."""

    users: dict[str, Any]
    objects: dict[str, Any]


def _user(email: str, *roles: Role, **fields: Any):
    user = UserFactory(email=email, full_name=email.split("@")[0].title(), **fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def world(db, settings) -> World:
    from coalition.events.models import RSVP, EventPartner, EventReport, ReportPhoto
    from coalition.events.tests.factories import EventFactory, PartnerFactory, RSVPFactory
    from coalition.letters import tokens as letters_tokens
    from coalition.letters.tests.factories import ActionFactory, official
    from coalition.letters.tests.helpers import write
    from coalition.members.models import Organisation
    from coalition.members.tests.factories import ApplicationFactory, OrganisationFactory, SupporterFactory
    from coalition.research.models import Attachment, ExportJob, ImportJob, RecordChange, Researcher
    from coalition.research.tests.factories import AreaFactory, CasualtyFactory, ReportFactory, StrikeFactory
    from coalition.states.tests.factories import MeetingFactory, NationalMeasureFactory, StateFactory

    own = OrganisationFactory(name="Alpha Aid", slug="alpha-aid", country="NO")
    other = OrganisationFactory(name="Beta Relief", slug="beta-relief", country="LB")
    users = {
        "anon": None,
        "supporter": _user("sam@example.org", Role.SUPPORTER),
        "editor_own": _user("edna@alpha.example.org", Role.ORGANISATION_EDITOR),
        "editor_other": _user("bruno@beta.example.org", Role.ORGANISATION_EDITOR),
        "researcher_own": _user("rita@alpha.example.org", Role.RESEARCHER),
        "researcher_other": _user("otto@beta.example.org", Role.RESEARCHER),
        "reviewer": _user("vera@example.org", Role.REVIEWER, is_staff=True),
        "campaigner": _user("carol@example.org", Role.CAMPAIGNER, is_staff=True),
        "staff": _user("stan@example.org", is_staff=True),
        "superuser": _user("alice@example.org", is_staff=True, is_superuser=True),
    }
    own.editors.add(users["editor_own"])
    other.editors.add(users["editor_other"])
    Researcher.objects.create(user=users["researcher_own"], organisation=own)
    Researcher.objects.create(user=users["researcher_other"], organisation=other)

    norway = StateFactory(iso3="NOR", name="Norway")
    laos = StateFactory(iso3="LAO", name="Laos")
    measure = NationalMeasureFactory(state=norway)
    from coalition.states.models import ObligationRecord, StateAsks

    ObligationRecord.objects.create(state=norway, kind="initial_report_received", date=date(2011, 1, 20), source="t")
    StateAsks.objects.create(state=norway, text="Ratify.")
    meeting = MeetingFactory(slug="msp-13")
    event = EventFactory(organisation=own, created_by=users["editor_own"])
    # Beta Relief co-hosts it: its editors see who comes (the attendee list), nothing more of it.
    PartnerFactory(event=event, organisation=other, role=EventPartner.Role.CO_HOST)
    rsvp = RSVPFactory(event=event, email="guest@example.org", status=RSVP.Status.CONFIRMED)
    report = EventReport.objects.create(event=event, notes="It went well.", attendance=40)
    photo = ReportPhoto.objects.create(report=report, image=SimpleUploadedFile("p.png", PNG, "image/png"))
    minister = official(state=norway, name="Espen", email="minister@mfa.no.example")
    action = ActionFactory(slug="write-to-norway", targets=[minister])
    letter = write(action, email="ana@example.org")
    message = letter.messages.get()
    application = ApplicationFactory()
    SupporterFactory(email="lina@example.org")
    casualty = CasualtyFactory(state=laos, organisation=own, source__title="Alpha's survey")
    StrikeFactory(state=laos, organisation=own)
    AreaFactory(state=laos, organisation=own)
    research_report = ReportFactory(organisation=own)
    attachment = Attachment.objects.create(
        report=research_report,
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
    )
    import_job = ImportJob.objects.create(original_name="casualties.csv", organisation=own)
    export_job = ExportJob.objects.create(kind="casualties", format="csv")
    RecordChange.objects.create(
        record_kind="casualty", record_id=casualty.pk, by=users["researcher_own"], action=RecordChange.Action.CREATED
    )
    from coalition.mailings.models import Mailing
    from coalition.mailings.tests.factories import MailingFactory

    draft_mailing = MailingFactory()
    news = MailingFactory(public=True, status=Mailing.Status.SENT)
    from coalition.site.models import PageFile
    from coalition.site.tests.factories import page_in

    campaign_page = page_in("en", slug="the-problem")
    page_file = PageFile.objects.create(
        page=campaign_page,
        title="Fact sheet",
        file=SimpleUploadedFile("f.pdf", b"%PDF-1.4\n", "application/pdf"),
        content_type="application/pdf",
        original_name="f.pdf",
    )
    objects = {
        "page": campaign_page,
        "page_file": page_file,
        "mailing": draft_mailing,
        "news": news,
        "own": own,
        "other": other,
        "applicant": Organisation.objects.get(pk=application.organisation_id),
        "norway": norway,
        "measure": measure,
        "meeting": meeting,
        "event": event,
        "rsvp": rsvp,
        "photo": photo,
        "action": action,
        "letter": letter,
        "letter_token": letters_tokens.letter_token(letter),
        "message": message,
        "minister": minister,
        "application": application,
        "casualty": casualty,
        "research_report": research_report,
        "attachment": attachment,
        "import_job": import_job,
        "export_job": export_job,
    }
    objects.update(_engagement(users, own, norway, meeting))
    _one_of_every_admin_model(users)
    return World(users=users, objects=objects)


def _engagement(users: dict[str, Any], own: Any, norway: Any, treaty_meeting: Any) -> dict[str, Any]:
    """A meeting with officials recorded by Alpha Aid (visible to the coalition), its commitment, attachment and
    follow-up, and a delegation to the treaty meeting in which Alpha Aid's editor sits."""
    from coalition.engagement.models import Delegate, Delegation, DelegationBriefs, FollowUp, MeetingAttachment
    from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory

    official_meeting = OfficialMeetingFactory(state=norway, organisation=own)
    commitment = CommitmentFactory(meeting=official_meeting)
    attachment = MeetingAttachment.objects.create(
        meeting=official_meeting,
        file=SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n", "application/pdf"),
        original_name="notes.pdf",
        content_type="application/pdf",
        size=9,
    )
    follow_up = FollowUp.objects.create(
        title="Send the briefing", owner=users["editor_own"], due_on=date(2030, 1, 1), meeting=official_meeting
    )
    delegation = Delegation.objects.create(meeting=treaty_meeting)
    Delegate.objects.create(delegation=delegation, user=users["editor_own"], organisation=own)
    # Alpha Aid's editor asked for the delegation's briefs: only she follows and downloads them.
    briefs = DelegationBriefs.objects.create(delegation=delegation, requested_by=users["editor_own"], language="en")
    return {
        "delegation_briefs": briefs,
        "official_meeting": official_meeting,
        "commitment": commitment,
        "meeting_attachment": attachment,
        "follow_up": follow_up,
    }


def _one_of_every_admin_model(users: dict[str, Any]) -> None:
    """The admin's change pages need a row of each model; the world above made most of them."""
    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult
    from rest_framework.authtoken.models import Token

    from coalition.core.models import Email, OutboxMessage, WorkerHeartbeat
    from coalition.core.services import email_queue
    from coalition.letters.models import PositionBounce, Reply

    email_queue(to="alice@example.org", subject="Reset", body_text="http://testserver/accounts/reset/MQ/x-y/")
    OutboxMessage.objects.create(to="alice@example.org", subject="Reset", body_text="…")
    WorkerHeartbeat.objects.create(worker_id="w1")
    Token.objects.create(user=users["superuser"])
    assert Email.objects.exists() and DBTaskResult.objects.exists()
    from coalition.letters.models import Message

    message = Message.objects.get()
    PositionBounce.objects.create(position=message.position, email="minister@mfa.no.example", reason="gone")
    Reply.objects.create(action=message.action, position=message.position, summary="She answered.", stance="support")
    from coalition.states.models import ReferenceRelease

    ReferenceRelease.objects.create(as_of=date(2025, 1, 1), source="ccm_states.csv")
    assert ContentType.objects.exists()
    from coalition.core.audit import audit_record

    audit_record(by=users["campaigner"], action="reply.log", target=Reply.objects.get())


def _admin_object_id(model: type) -> str:
    instance = model._default_manager.order_by("pk").first()
    assert instance is not None, f"the world has no {model._meta.label}: add one to _one_of_every_admin_model"
    return str(instance.pk)


# What each role gets, for every route but the admin's model pages (ADMIN_ACCESS below).
# Columns: anon supporter editor(own) editor(other) researcher(own) researcher(other) reviewer campaigner staff
# superuser
MATRIX: dict[str, str] = {
    "": "200 200 200 200 200 200 200 200 200 200",
    "healthz": "200 200 200 200 200 200 200 200 200 200",
    "staff/outbox/": "404 404 404 404 404 404 404 404 404 404",
    "staff/outbox/<int:pk>/": "404 404 404 404 404 404 404 404 404 404",
    # The work page: for staff accounts and whoever may act on one of its queues (reviewers: research).
    "staff/": "L 403 403 403 403 403 200 200 200 200",
    "pages/<slug:slug>/": "200 200 200 200 200 200 200 200 200 200",
    "pages/<slug:slug>/files/<int:pk>/": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})/obligations/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})/obligations\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",  # noqa: E501
    "api/v1/^meetings/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^meetings\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^meetings/(?P<slug>[-a-zA-Z0-9_]+)/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^meetings/(?P<slug>[-a-zA-Z0-9_]+)\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^events/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^events\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^events/(?P<pk>[^/.]+)/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^events/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^actions/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^actions\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^actions/(?P<slug>[-a-zA-Z0-9_]+)/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^actions/(?P<slug>[-a-zA-Z0-9_]+)\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^organisations/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^organisations\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^organisations/(?P<slug>[-a-zA-Z0-9_]+)/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^organisations/(?P<slug>[-a-zA-Z0-9_]+)\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",  # noqa: E501
    "api/v1/^research/casualties/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^research/casualties\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^research/casualties/summary/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^research/casualties/summary\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^research/casualties/(?P<pk>[^/.]+)/$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/^research/casualties/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/": "200 200 200 200 200 200 200 200 200 200",
    "api/v1/<drf_format_suffix:format>": "200 200 200 200 200 200 200 200 200 200",
    # Any other path under /api/v1/: a JSON 404 (coalition/api/urls.py).
    "^api/v1/(?P<path>.*/)$": "404 404 404 404 404 404 404 404 404 404",
    "api/schema/": "200 200 200 200 200 200 200 200 200 200",
    "api/docs/": "200 200 200 200 200 200 200 200 200 200",
    "accounts/login/": "200 R R R R R R R R R",
    "accounts/logout/": "405 405 405 405 405 405 405 405 405 405",
    "accounts/password-reset/": "200 200 200 200 200 200 200 200 200 200",
    "accounts/password-reset/sent/": "200 200 200 200 200 200 200 200 200 200",
    "accounts/reset/<uidb64>/<token>/": "200 200 200 200 200 200 200 200 200 200",
    "accounts/reset/done/": "200 200 200 200 200 200 200 200 200 200",
    "accounts/password-change/": "L 200 200 200 200 200 200 200 200 200",
    "accounts/password-change/done/": "L 200 200 200 200 200 200 200 200 200",
    # Two factors: every user here has given their code; who must have an app already has one (set-up is done).
    "accounts/two-factor/": "L 200 200 200 200 200 200 200 200 200",
    "accounts/two-factor/verify/": "L R R R R R R R R R",
    "accounts/two-factor/set-up/": "L 200 R R R R R R 200 R",
    "accounts/two-factor/recovery-codes/": "L R R R R R R R R R",
    "accounts/two-factor/recovery-codes/new/": "405 405 405 405 405 405 405 405 405 405",
    "accounts/two-factor/turn-off/": "L R R R R R R R R R",
    "members/": "200 200 200 200 200 200 200 200 200 200",
    "members/join/": "200 200 200 200 200 200 200 200 200 200",
    "members/join/thanks/": "200 200 200 200 200 200 200 200 200 200",
    "members/sign-up/": "200 200 200 200 200 200 200 200 200 200",
    "members/sign-up/thanks/": "200 200 200 200 200 200 200 200 200 200",
    "members/sign-up/confirm/<str:token>/": "200 200 200 200 200 200 200 200 200 200",
    "members/my-data/": "200 200 200 200 200 200 200 200 200 200",
    "members/my-data/<str:token>/": "400 400 400 400 400 400 400 400 400 400",
    "members/logos/<str:name>": "404 404 404 404 404 404 404 404 404 404",
    "members/staff/applications/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/applications/<int:pk>/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/organisations/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/organisations/import/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/supporters/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/referrals/": "L 403 403 403 403 403 403 200 403 200",
    "members/staff/organisations/<slug:slug>/status/": "L 403 403 403 403 403 403 405 403 405",
    "members/<slug:slug>/": "200 200 200 200 200 200 200 200 200 200",
    "members/<slug:slug>/edit/": "L 403 200 403 403 403 403 200 403 200",
    "members/<slug:slug>/referrals/": "L 403 200 403 403 403 403 200 403 200",
    "states/": "200 200 200 200 200 200 200 200 200 200",
    "states/obligations/": "200 200 200 200 200 200 200 200 200 200",
    "states/measures/<int:pk>/edit/": "L 403 403 403 403 403 403 200 403 200",
    "states/<str:iso3>/": "200 200 200 200 200 200 200 200 200 200",
    "states/<str:iso3>/brief/": "200 200 200 200 200 200 200 200 200 200",
    "states/<str:iso3>/brief.pdf": "200 200 200 200 200 200 200 200 200 200",
    "states/<str:iso3>/measures/new/": "L 403 403 403 403 403 403 200 403 200",
    "meetings/": "200 200 200 200 200 200 200 200 200 200",
    "meetings/<slug:slug>/": "200 200 200 200 200 200 200 200 200 200",
    "events/": "200 200 200 200 200 200 200 200 200 200",
    "events/calendar/": "200 200 200 200 200 200 200 200 200 200",
    "events/feed.ics": "200 200 200 200 200 200 200 200 200 200",
    "events/mine/": "L 200 200 200 200 200 200 200 200 200",
    "events/new/": "L 403 200 200 403 403 403 200 403 200",
    "events/review/": "L 403 403 403 403 403 403 200 403 200",
    "events/reply/": "200 200 200 200 200 200 200 200 200 200",
    "events/reply/<str:token>/": "404 404 404 404 404 404 404 404 404 404",
    "events/<int:pk>/": "200 200 200 200 200 200 200 200 200 200",
    "events/<int:pk>/event.ics": "200 200 200 200 200 200 200 200 200 200",
    "events/<int:pk>/rsvp/": "405 405 405 405 405 405 405 405 405 405",
    "events/<int:pk>/edit/": "L 403 200 403 403 403 403 200 403 200",
    "events/<int:pk>/submit/": "L 405 405 405 405 405 405 405 405 405",
    "events/<int:pk>/cancel/": "L 403 200 403 403 403 403 200 403 200",
    "events/<int:pk>/attendees/": "L 403 200 200 403 403 403 200 403 200",
    "events/<int:pk>/report/": "L 403 200 403 403 403 403 200 403 200",
    "events/<int:pk>/review/": "L 403 403 403 403 403 403 200 403 200",
    "events/<int:pk>/photos/<int:photo_pk>/": "200 200 200 200 200 200 200 200 200 200",
    "act/": "200 200 200 200 200 200 200 200 200 200",
    "act/confirm/<str:token>/": "400 400 400 400 400 400 400 400 400 400",
    "act/letter/<str:token>/letter.pdf": "404 404 404 404 404 404 404 404 404 404",
    "act/replied/<str:token>/": "404 404 404 404 404 404 404 404 404 404",
    "act/brought/<slug:slug>/": "L 403 200 403 403 403 403 200 403 200",
    "act/staff/officials/": "L 403 403 403 403 403 403 200 403 200",
    "act/staff/new/": "L 403 403 403 403 403 403 200 403 200",
    "act/<slug:slug>/": "200 200 200 200 200 200 200 200 200 200",
    "act/<slug:slug>/thanks/": "200 200 200 200 200 200 200 200 200 200",
    "act/<slug:slug>/preview/": "L 403 403 403 403 403 403 200 403 200",
    "act/<slug:slug>/publish/": "405 405 405 405 405 405 405 405 405 405",
    "act/<slug:slug>/staff/edit/": "L 403 403 403 403 403 403 200 403 200",
    "act/<slug:slug>/staff/": "L 403 403 403 403 403 403 200 403 200",
    "act/<slug:slug>/staff/messages.csv": "L 403 403 403 403 403 403 200 403 200",
    "act/<slug:slug>/staff/review/<int:pk>/": "405 405 405 405 405 405 405 405 405 405",
    "act/<slug:slug>/staff/officials/<int:position_id>.pdf": "L 403 403 403 403 403 403 200 403 200",
    "research/": "200 200 200 200 200 200 200 200 200 200",
    "research/export/": "400 400 400 400 400 400 400 400 400 400",
    "research/exports/<uuid:token>/": "200 200 200 200 200 200 200 200 200 200",
    "research/reports/": "200 200 200 200 200 200 200 200 200 200",
    "research/reports/<int:pk>/": "200 200 200 200 200 200 200 200 200 200",
    "research/reports/<int:pk>/attachments/<int:attachment_id>/": "200 200 200 200 200 200 200 200 200 200",
    "research/reports/<int:pk>/attachments/add/": "L 405 405 405 405 405 405 405 405 405",
    "research/workspace/": "L 403 200 200 200 200 200 403 403 200",
    "research/workspace/<str:kind>/new/": "L 403 200 200 200 200 200 403 403 200",
    "research/workspace/<str:kind>/<int:pk>/": "L 404 200 404 200 404 200 404 404 200",
    "research/workspace/<str:kind>/<int:pk>/edit/": "L 403 403 403 403 403 200 403 403 200",
    "research/workspace/<str:kind>/<int:pk>/submit/": "L 405 405 405 405 405 405 405 405 405",
    "research/review/": "L 403 403 403 403 403 200 403 403 200",
    "research/review/approve/": "L 403 403 403 403 403 405 403 403 405",
    "research/review/<str:kind>/<int:pk>/decide/": "L 403 403 403 403 403 405 403 403 405",
    "research/review/<str:kind>/<int:pk>/assign/": "L 403 403 403 403 403 405 403 403 405",
    "research/import/": "L 403 403 403 403 403 200 403 403 200",
    "research/import/<int:pk>/": "L 403 403 403 403 403 200 403 403 200",
    "mailings/staff/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/new/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/lists/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/segments/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/suppressions/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/<int:pk>/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/<int:pk>/edit/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/<int:pk>/decide/": "L 403 403 403 403 403 403 405 403 405",
    "mailings/staff/<int:pk>/progress/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/staff/<int:pk>/preview/": "L 403 403 403 403 403 403 200 403 200",
    "mailings/unsubscribe/<str:token>/": "404 404 404 404 404 404 404 404 404 404",
    "mailings/subscriptions/<str:token>/": "404 404 404 404 404 404 404 404 404 404",
    # Only there once a provider and its shared secret are configured (then anymail's view takes POST only).
    "mailings/provider-events/": "404 404 404 404 404 404 404 404 404 404",
    "news/": "200 200 200 200 200 200 200 200 200 200",
    "news/feed.atom": "200 200 200 200 200 200 200 200 200 200",
    "news/<slug:slug>/": "200 200 200 200 200 200 200 200 200 200",
    "i18n/setlang/": "R R R R R R R R R R",
    "jsi18n/": "200 200 200 200 200 200 200 200 200 200",
    "share/campaign.png": "200 200 200 200 200 200 200 200 200 200",
    "share/actions/<slug:slug>.png": "200 200 200 200 200 200 200 200 200 200",
    "share/states/<str:iso3>.png": "200 200 200 200 200 200 200 200 200 200",
    "admin/": "L L L L L L 200 200 200 200",
    "admin/login/": "200 200 200 200 200 200 R R R R",
    "admin/logout/": "R R R R R R 405 405 405 405",
    "admin/password_change/": "L L L L L L 200 200 200 200",
    "admin/password_change/done/": "L L L L L L 200 200 200 200",
    "admin/autocomplete/": "L L L L L L 403 403 403 403",
    "admin/jsi18n/": "L L L L L L 200 200 200 200",
    "admin/r/<path:content_type_id>/<path:object_id>/": "L L L L L L 404 404 404 404",
    "admin/<app_label>/": "L L L L L L 404 200 404 200",
    "admin/(?P<url>.*)$": "L L L L L L 404 404 404 404",
    # Engagement: the coalition only (editors and campaigners); editors edit their own organisation's records.
    "engagement/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/meetings/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/meetings/export.csv": "L 403 200 200 403 403 403 200 403 200",
    "engagement/meetings/new/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/meetings/<int:pk>/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/meetings/<int:pk>/edit/": "L 403 200 403 403 403 403 200 403 200",
    "engagement/meetings/<int:pk>/commitments/<int:commitment_id>/": "405 405 405 405 405 405 405 405 405 405",
    "engagement/meetings/<int:pk>/attachments/<int:attachment_id>/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/follow-ups/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/follow-ups/new/": "L 403 200 200 403 403 403 200 403 200",
    "engagement/follow-ups/<int:pk>/done/": "405 405 405 405 405 405 405 405 405 405",
    "meetings/<slug:slug>/delegation/": "L 403 200 200 403 403 403 200 403 200",
    "meetings/<slug:slug>/delegation/me/": "L 403 200 200 403 403 403 200 403 200",
    "meetings/<slug:slug>/delegation/log/": "L 403 200 403 403 403 403 200 403 200",
    "meetings/<slug:slug>/delegation/report/": "L 403 200 200 403 403 403 200 403 200",
    "meetings/<slug:slug>/delegation/briefs/": "405 405 405 405 405 405 405 405 405 405",
    "meetings/<slug:slug>/delegation/briefs/<int:pk>/": "L 403 200 404 403 403 403 404 403 404",
}

# The admin's pages of each model: which staff roles may (view, add, delete). The non-staff roles are sent
# to log in; a staff role without the right gets 403.
ADMIN_ACCESS: dict[str, tuple[str, str, str]] = {
    "auth.group": ("superuser", "superuser", "superuser"),
    # Campaign pages: campaigners write and publish them; deleting one is the administrator's (unpublish instead).
    "campaign_site.page": ("campaigner superuser", "campaigner superuser", "superuser"),
    "accounts.user": ("campaigner superuser", "superuser", "superuser"),
    "core.email": ("campaigner superuser", "", ""),
    "core.outboxmessage": ("", "", ""),
    "core.workerheartbeat": ("superuser", "superuser", "superuser"),
    "core.auditentry": ("superuser", "", ""),  # read by administrators only; nobody adds or deletes (0011)
    "members.organisation": ("campaigner superuser", "campaigner superuser", "superuser"),
    "members.membershipapplication": ("campaigner superuser", "superuser", "superuser"),
    "members.supporter": ("campaigner superuser", "superuser", ""),  # erasure (an admin action), never deletion
    "states.state": ("campaigner superuser", "superuser", ""),
    "states.nationalmeasure": ("campaigner superuser", "campaigner superuser", "superuser"),
    "states.meeting": ("campaigner superuser", "campaigner superuser", "superuser"),
    "states.referencerelease": ("superuser", "superuser", "superuser"),
    "states.obligationrecord": ("campaigner superuser", "campaigner superuser", "superuser"),
    "states.stateasks": ("campaigner superuser", "campaigner superuser", "superuser"),
    "events.event": ("campaigner superuser", "campaigner superuser", "superuser"),
    "events.rsvp": ("campaigner superuser", "superuser", "superuser"),
    "events.eventreport": ("campaigner superuser", "superuser", "superuser"),
    "letters.position": ("campaigner superuser", "campaigner superuser", "superuser"),
    "letters.person": ("campaigner superuser", "campaigner superuser", "superuser"),
    "letters.positionbounce": ("campaigner superuser", "superuser", "superuser"),
    "letters.action": ("campaigner superuser", "campaigner superuser", "superuser"),
    "letters.message": ("campaigner superuser", "superuser", "superuser"),
    "letters.reply": ("campaigner superuser", "campaigner superuser", "superuser"),
    "research.casualty": ("reviewer campaigner superuser", "reviewer superuser", ""),
    "research.strike": ("reviewer campaigner superuser", "reviewer superuser", ""),
    "research.contaminatedarea": ("reviewer campaigner superuser", "reviewer superuser", ""),
    "research.report": ("reviewer campaigner superuser", "reviewer superuser", "superuser"),
    "research.source": ("reviewer campaigner superuser", "reviewer superuser", "superuser"),
    "research.researcher": ("superuser", "superuser", "superuser"),
    "research.recordchange": ("reviewer superuser", "superuser", ""),
    "research.importjob": ("reviewer superuser", "superuser", "superuser"),
    "authtoken.tokenproxy": ("superuser", "superuser", "superuser"),
    "django_tasks_database.dbtaskresult": ("superuser", "", ""),
    # Read-only: every change goes through the engagement pages and their audit trail.
    "engagement.officialmeeting": ("campaigner superuser", "", ""),
    "engagement.followup": ("campaigner superuser", "", ""),
    "engagement.delegation": ("campaigner superuser", "", ""),
}


# Where each non-admin route with parameters is requested (a route without is requested as written); `o` is
# World.objects. A secret link gets a token that is not anyone's (no role opens it without its link).
PATHS: dict[str, Callable[[dict[str, Any]], str]] = {
    "admin/<app_label>/": lambda o: "/admin/members/",
    "staff/outbox/<int:pk>/": lambda o: "/staff/outbox/1/",
    "pages/<slug:slug>/": lambda o: o["page"].get_absolute_url(),
    "pages/<slug:slug>/files/<int:pk>/": lambda o: o["page_file"].get_absolute_url(),
    "api/v1/^states/$": lambda o: "/api/v1/states/",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})/$": lambda o: "/api/v1/states/NOR/",
    "api/v1/^states/(?P<iso3>[A-Za-z]{3})/obligations/$": lambda o: "/api/v1/states/NOR/obligations/",
    "api/v1/^meetings/$": lambda o: "/api/v1/meetings/",
    "api/v1/^meetings/(?P<slug>[-a-zA-Z0-9_]+)/$": lambda o: f"/api/v1/meetings/{o['meeting'].slug}/",
    "api/v1/^events/$": lambda o: "/api/v1/events/",
    "api/v1/^events/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/events/{o['event'].pk}/",
    "api/v1/^actions/$": lambda o: "/api/v1/actions/",
    "api/v1/^actions/(?P<slug>[-a-zA-Z0-9_]+)/$": lambda o: f"/api/v1/actions/{o['action'].slug}/",
    "api/v1/^organisations/$": lambda o: "/api/v1/organisations/",
    "api/v1/^organisations/(?P<slug>[-a-zA-Z0-9_]+)/$": lambda o: f"/api/v1/organisations/{o['own'].slug}/",
    "api/v1/^research/casualties/$": lambda o: "/api/v1/research/casualties/",
    "api/v1/^research/casualties/summary/$": lambda o: "/api/v1/research/casualties/summary/",
    "api/v1/^research/casualties/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/research/casualties/{o['casualty'].pk}/",
    "api/v1/<drf_format_suffix:format>": lambda o: "/api/v1/.json",
    "^api/v1/(?P<path>.*/)$": lambda o: "/api/v1/no-such-resource/",
    "accounts/reset/<uidb64>/<token>/": lambda o: "/accounts/reset/MQ/not-a-token/",
    "members/sign-up/confirm/<str:token>/": lambda o: "/members/sign-up/confirm/not-a-token/",
    "members/my-data/<str:token>/": lambda o: "/members/my-data/not-a-token/",
    "members/logos/<str:name>": lambda o: "/members/logos/none.png",
    "members/staff/applications/<int:pk>/": lambda o: f"/members/staff/applications/{o['application'].pk}/",
    "members/staff/organisations/<slug:slug>/status/": lambda o: (
        f"/members/staff/organisations/{o['own'].slug}/status/"
    ),
    "members/<slug:slug>/": lambda o: f"/members/{o['own'].slug}/",
    "members/<slug:slug>/edit/": lambda o: f"/members/{o['own'].slug}/edit/",
    "members/<slug:slug>/referrals/": lambda o: f"/members/{o['own'].slug}/referrals/",
    "states/measures/<int:pk>/edit/": lambda o: f"/states/measures/{o['measure'].pk}/edit/",
    "states/<str:iso3>/": lambda o: "/states/NOR/",
    "states/<str:iso3>/brief/": lambda o: "/states/NOR/brief/",
    "states/<str:iso3>/brief.pdf": lambda o: "/states/NOR/brief.pdf",
    "states/<str:iso3>/measures/new/": lambda o: "/states/NOR/measures/new/",
    "meetings/<slug:slug>/": lambda o: f"/meetings/{o['meeting'].slug}/",
    "events/reply/<str:token>/": lambda o: "/events/reply/not-a-token/",
    "events/<int:pk>/": lambda o: f"/events/{o['event'].pk}/",
    "events/<int:pk>/event.ics": lambda o: f"/events/{o['event'].pk}/event.ics",
    "events/<int:pk>/rsvp/": lambda o: f"/events/{o['event'].pk}/rsvp/",
    "events/<int:pk>/edit/": lambda o: f"/events/{o['event'].pk}/edit/",
    "events/<int:pk>/submit/": lambda o: f"/events/{o['event'].pk}/submit/",
    "events/<int:pk>/cancel/": lambda o: f"/events/{o['event'].pk}/cancel/",
    "events/<int:pk>/attendees/": lambda o: f"/events/{o['event'].pk}/attendees/",
    "events/<int:pk>/report/": lambda o: f"/events/{o['event'].pk}/report/",
    "events/<int:pk>/review/": lambda o: f"/events/{o['event'].pk}/review/",
    "events/<int:pk>/photos/<int:photo_pk>/": lambda o: f"/events/{o['event'].pk}/photos/{o['photo'].pk}/",
    "act/confirm/<str:token>/": lambda o: "/act/confirm/not-a-token/",
    "act/letter/<str:token>/letter.pdf": lambda o: "/act/letter/not-a-token/letter.pdf",
    "act/replied/<str:token>/": lambda o: "/act/replied/not-a-token/",
    "act/brought/<slug:slug>/": lambda o: f"/act/brought/{o['own'].slug}/",
    "act/<slug:slug>/": lambda o: f"/act/{o['action'].slug}/",
    "share/actions/<slug:slug>.png": lambda o: f"/share/actions/{o['action'].slug}.png",
    "share/states/<str:iso3>.png": lambda o: "/share/states/NOR.png",
    "act/<slug:slug>/thanks/": lambda o: f"/act/{o['action'].slug}/thanks/",
    "act/<slug:slug>/preview/": lambda o: f"/act/{o['action'].slug}/preview/",
    "act/<slug:slug>/staff/edit/": lambda o: f"/act/{o['action'].slug}/staff/edit/",
    "act/<slug:slug>/publish/": lambda o: f"/act/{o['action'].slug}/publish/",
    "act/<slug:slug>/staff/": lambda o: f"/act/{o['action'].slug}/staff/",
    "act/<slug:slug>/staff/messages.csv": lambda o: f"/act/{o['action'].slug}/staff/messages.csv",
    "act/<slug:slug>/staff/review/<int:pk>/": lambda o: f"/act/{o['action'].slug}/staff/review/{o['message'].pk}/",
    "act/<slug:slug>/staff/officials/<int:position_id>.pdf": lambda o: (
        f"/act/{o['action'].slug}/staff/officials/{o['minister'].pk}.pdf"
    ),
    "research/export/": lambda o: "/research/export/?kind=casualties&format=csv",
    "research/exports/<uuid:token>/": lambda o: f"/research/exports/{o['export_job'].token}/",
    "research/reports/<int:pk>/": lambda o: f"/research/reports/{o['research_report'].pk}/",
    "research/reports/<int:pk>/attachments/<int:attachment_id>/": lambda o: (
        f"/research/reports/{o['research_report'].pk}/attachments/{o['attachment'].pk}/"
    ),
    "research/reports/<int:pk>/attachments/add/": lambda o: (
        f"/research/reports/{o['research_report'].pk}/attachments/add/"
    ),
    "research/workspace/<str:kind>/new/": lambda o: "/research/workspace/casualty/new/",
    "research/workspace/<str:kind>/<int:pk>/": lambda o: f"/research/workspace/casualty/{o['casualty'].pk}/",
    "research/workspace/<str:kind>/<int:pk>/edit/": lambda o: f"/research/workspace/casualty/{o['casualty'].pk}/edit/",
    "research/workspace/<str:kind>/<int:pk>/submit/": lambda o: (
        f"/research/workspace/casualty/{o['casualty'].pk}/submit/"
    ),
    "research/review/<str:kind>/<int:pk>/decide/": lambda o: f"/research/review/casualty/{o['casualty'].pk}/decide/",
    "research/review/<str:kind>/<int:pk>/assign/": lambda o: f"/research/review/casualty/{o['casualty'].pk}/assign/",
    "research/import/<int:pk>/": lambda o: f"/research/import/{o['import_job'].pk}/",
    "mailings/staff/<int:pk>/": lambda o: f"/mailings/staff/{o['mailing'].pk}/",
    "mailings/staff/<int:pk>/edit/": lambda o: f"/mailings/staff/{o['mailing'].pk}/edit/",
    "mailings/staff/<int:pk>/decide/": lambda o: f"/mailings/staff/{o['mailing'].pk}/decide/",
    "mailings/staff/<int:pk>/progress/": lambda o: f"/mailings/staff/{o['mailing'].pk}/progress/",
    "mailings/staff/<int:pk>/preview/": lambda o: f"/mailings/staff/{o['mailing'].pk}/preview/",
    "mailings/unsubscribe/<str:token>/": lambda o: "/mailings/unsubscribe/not-a-token/",
    "mailings/subscriptions/<str:token>/": lambda o: "/mailings/subscriptions/not-a-token/",
    "news/<slug:slug>/": lambda o: f"/news/{o['news'].slug}/",
    "admin/r/<path:content_type_id>/<path:object_id>/": lambda o: "/admin/r/1/1/",
    "engagement/meetings/<int:pk>/": lambda o: f"/engagement/meetings/{o['official_meeting'].pk}/",
    "engagement/meetings/<int:pk>/edit/": lambda o: f"/engagement/meetings/{o['official_meeting'].pk}/edit/",
    "engagement/meetings/<int:pk>/commitments/<int:commitment_id>/": lambda o: (
        f"/engagement/meetings/{o['official_meeting'].pk}/commitments/{o['commitment'].pk}/"
    ),
    "engagement/meetings/<int:pk>/attachments/<int:attachment_id>/": lambda o: (
        f"/engagement/meetings/{o['official_meeting'].pk}/attachments/{o['meeting_attachment'].pk}/"
    ),
    "engagement/follow-ups/<int:pk>/done/": lambda o: f"/engagement/follow-ups/{o['follow_up'].pk}/done/",
    "meetings/<slug:slug>/delegation/": lambda o: f"/meetings/{o['meeting'].slug}/delegation/",
    "meetings/<slug:slug>/delegation/me/": lambda o: f"/meetings/{o['meeting'].slug}/delegation/me/",
    "meetings/<slug:slug>/delegation/log/": lambda o: f"/meetings/{o['meeting'].slug}/delegation/log/",
    "meetings/<slug:slug>/delegation/report/": lambda o: f"/meetings/{o['meeting'].slug}/delegation/report/",
    "meetings/<slug:slug>/delegation/briefs/": lambda o: f"/meetings/{o['meeting'].slug}/delegation/briefs/",
    "meetings/<slug:slug>/delegation/briefs/<int:pk>/": lambda o: (
        f"/meetings/{o['meeting'].slug}/delegation/briefs/{o['delegation_briefs'].pk}/"
    ),
    "admin/(?P<url>.*)$": lambda o: "/admin/no-such-page/",
}


def _unsuffixed(route: str) -> str:
    """The route an API route with DRF's format suffix (`.json`) was made from."""
    suffix = r"\.(?P<format>[a-z0-9]+)/?$"
    return route[: -len(suffix)] + "/$" if route.endswith(suffix) else route


def path_for(route: str, objects: dict[str, Any]) -> str:
    """The path requested for a route: from PATHS, or for the admin's model pages from the route itself. Always the
    unprefixed (English) address, whatever language an earlier request left active in this thread."""
    if route in PATHS:
        with translation.override(django_settings.LANGUAGE_CODE):
            return PATHS[route](objects)
    if not re.search(r"[<(^$]", route):
        return "/" + route
    base = _unsuffixed(route)
    if base in PATHS:
        # The API's format suffix: the same resource as JSON.
        return PATHS[base](objects).rstrip("/") + ".json"
    admin_model = re.match(r"^admin/(\w+)/(\w+)/", route)
    if admin_model is None:
        raise KeyError(route)
    from django.apps import apps

    model = apps.get_model(admin_model.group(1), admin_model.group(2))
    object_id = _admin_object_id(model)
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
            assert route in PATHS or _unsuffixed(route) in PATHS or not re.search(r"[<(^$]", route), (
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
