"""One of everything, owned by Alpha Aid, and one user per role."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory


def _png() -> bytes:
    """A real picture: report photos are checked by their content (coalition/events/photos.py)."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
PDF = b"%PDF-1.4\n"


def _stored_pdf(name: str) -> dict[str, Any]:
    """The fields of an uploaded PDF as an attachment keeps it (research reports, meetings with officials)."""
    return {
        "file": SimpleUploadedFile(name, PDF, "application/pdf"),
        "original_name": name,
        "content_type": "application/pdf",
        "size": len(PDF),
    }


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


def build() -> World:
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
    attachment = Attachment.objects.create(report=research_report, **_stored_pdf("a.pdf"))
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
    attachment = MeetingAttachment.objects.create(meeting=official_meeting, **_stored_pdf("notes.pdf"))
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
