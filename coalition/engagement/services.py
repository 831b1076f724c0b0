"""Writes of the engagement app: meetings with officials, commitments, follow-ups and their reminders,
delegations, lobbying assignments and bilaterals logged at treaty meetings.

Each function checks the rules, stores everything or nothing (one transaction), and writes its entry on the
audit trail. A request the rules refuse raises `EngagementError` with a message for the person who asked.
The outcome of a meeting may hold personal data: the trail records that it changed, never its text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record, field_changes
from coalition.core.services import email_send, enqueue_on_commit, link_in_language
from coalition.engagement import selectors
from coalition.engagement.models import (
    Assignment,
    Attendee,
    Commitment,
    Delegate,
    Delegation,
    DelegationBriefs,
    FollowUp,
    FollowUpReminder,
    MeetingAttachment,
    OfficialMeeting,
    OfficialMet,
    Topic,
    Visibility,
)
from coalition.letters.models import Position
from coalition.members.models import Organisation
from coalition.states.models import Meeting, State

logger = logging.getLogger(__name__)

ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
# Outcome and notes: the trail says they changed, not what they say.
PRIVATE_FIELDS = {"outcome"}


class EngagementError(Exception):
    """A request the rules refuse; the message is for the person who asked, already translated."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- meetings ---------------------------------------------------------------------------------------------


MEETING_FIELDS = (
    "state",
    "organisation",
    "held_on",
    "status",
    "format",
    "topics",
    "topics_other",
    "stated_position",
    "outcome",
    "visibility",
)


@dataclass(frozen=True)
class OtherOfficial:
    """An official named in free text (not, or not yet, among the letters app's positions)."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class AttendeeLine:
    name: str
    organisation: str = ""


def _check_meeting(data: Mapping[str, Any], *, access: selectors.Access, positions: Sequence[Position]) -> None:
    state: State = data["state"]
    held_on: date = data["held_on"]
    if data.get("status") == OfficialMeeting.Status.HELD and held_on > timezone.localdate():
        raise EngagementError(_("A meeting marked as held cannot be dated in the future."), field="held_on")
    for position in positions:
        if position.state_id != state.pk:
            raise EngagementError(
                _("%(official)s is not an official of %(state)s.")
                % {"official": position.title, "state": state.display_name},
                field="positions",
            )
    organisation: Organisation | None = data.get("organisation")
    if not access.staff and (organisation is None or organisation.pk not in access.organisation_ids):
        raise EngagementError(_("You can record meetings for your own organisation only."), field="organisation")
    unknown = set(data.get("topics") or []) - set(Topic.values)
    if unknown:
        raise EngagementError(_("Choose topics from the list; write any other in “Other topics”."), field="topics")


def _holder_on(position: Position, on: date) -> tuple[Any, str]:
    """Who held the position on the day (person, name), from its dated terms."""
    for term in sorted(position.terms.all(), key=lambda t: t.started_on or date.min, reverse=True):
        started = term.started_on or date.min
        ended = term.ended_on or date.max
        if started <= on <= ended:
            return term.person, term.person.name
    return None, ""


def _set_officials(meeting: OfficialMeeting, positions: Sequence[Position], others: Sequence[OtherOfficial]) -> None:
    meeting.officials.all().delete()
    rows = []
    for position in positions:
        person, name = _holder_on(position, meeting.held_on)
        rows.append(OfficialMet(meeting=meeting, position=position, person=person, name=name, title=position.title))
    rows += [OfficialMet(meeting=meeting, name=o.name, title=o.title) for o in others if o.name or o.title]
    OfficialMet.objects.bulk_create(rows)


def _set_attendees(meeting: OfficialMeeting, attendees: Sequence[AttendeeLine]) -> None:
    meeting.attendees.all().delete()
    known = {
        o.name.casefold(): o
        for o in Organisation.objects.filter(name__in=[a.organisation for a in attendees if a.organisation])
    }
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            name=a.name,
            organisation=known.get(a.organisation.casefold()),
            organisation_name="" if a.organisation.casefold() in known else a.organisation,
        )
        for a in attendees
        if a.name
    )


def _add_commitments(meeting: OfficialMeeting, texts: Sequence[str]) -> list[Commitment]:
    return Commitment.objects.bulk_create(
        Commitment(meeting=meeting, state_id=meeting.state_id, text=text.strip()) for text in texts if text.strip()
    )


def _check_upload(upload: UploadedFile) -> str:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise EngagementError(
            _("%(name)s: only PDF and image files (PNG, JPEG, GIF, WebP) can be attached.") % {"name": name},
            field="attachment",
        )
    limit = settings.ENGAGEMENT_ATTACHMENT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise EngagementError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)},
            field="attachment",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime != ATTACHMENT_TYPES[extension]:
        raise EngagementError(
            _("%(name)s is not a %(extension)s file: its content does not match its extension.")
            % {"name": name, "extension": extension.upper()},
            field="attachment",
        )
    return ATTACHMENT_TYPES[extension]


def _add_attachments(meeting: OfficialMeeting, uploads: Sequence[UploadedFile]) -> None:
    for upload in uploads:
        content_type = _check_upload(upload)
        MeetingAttachment.objects.create(
            meeting=meeting,
            file=upload,
            original_name=(upload.name or "attachment")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )


def _trail(changes: dict[str, list[Any]]) -> dict[str, Any]:
    return {name: (["…", "…"] if name in PRIVATE_FIELDS else change) for name, change in changes.items()}


def meeting_create(
    *,
    by: User,
    data: Mapping[str, Any],
    positions: Sequence[Position] = (),
    other_officials: Sequence[OtherOfficial] = (),
    attendees: Sequence[AttendeeLine] = (),
    commitments: Sequence[str] = (),
    attachments: Sequence[UploadedFile] = (),
    delegation: Delegation | None = None,
) -> OfficialMeeting:
    """Record a meeting with officials of one state; refused whole (nothing stored) when a rule is broken."""
    access = selectors.engagement_access(by)
    if not access.allowed:
        raise EngagementError(_("Only the coalition's staff and member organisations' editors record meetings."))
    _check_meeting(data, access=access, positions=positions)
    for upload in attachments:
        _check_upload(upload)
    with transaction.atomic():
        meeting = OfficialMeeting(created_by=by, delegation=delegation)
        for name in MEETING_FIELDS:
            if name in data:
                setattr(meeting, name, data[name])
        meeting.full_clean()
        meeting.save()
        _set_officials(meeting, positions, other_officials)
        _set_attendees(meeting, attendees)
        made = _add_commitments(meeting, commitments)
        _add_attachments(meeting, attachments)
        audit_record(
            by=by,
            action="official_meeting.create",
            target=meeting,
            detail={
                "organisation": meeting.organisation,
                "visibility": meeting.visibility,
                "commitments": len(made),
                "delegation": delegation.pk if delegation else None,
            },
        )
    return meeting


def meeting_update(
    *,
    meeting: OfficialMeeting,
    by: User,
    data: Mapping[str, Any],
    positions: Sequence[Position] = (),
    other_officials: Sequence[OtherOfficial] = (),
    attendees: Sequence[AttendeeLine] = (),
    new_commitments: Sequence[str] = (),
    attachments: Sequence[UploadedFile] = (),
) -> OfficialMeeting:
    access = selectors.engagement_access(by)
    if not access.may_edit(meeting):
        raise EngagementError(_("You can edit your own organisation's meetings only."))
    _check_meeting(data, access=access, positions=positions)
    for upload in attachments:
        _check_upload(upload)
    with transaction.atomic():
        locked = OfficialMeeting.objects.select_for_update().get(pk=meeting.pk)
        before = {name: getattr(locked, name) for name in MEETING_FIELDS if name in data}
        officials_before = sorted(str(o) for o in locked.officials.all())
        for name in MEETING_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.full_clean()
        locked.save()
        _set_officials(locked, positions, other_officials)
        _set_attendees(locked, attendees)
        made = _add_commitments(locked, new_commitments)
        _add_attachments(locked, attachments)
        changes = field_changes(before, {name: getattr(locked, name) for name in before})
        officials_after = sorted(str(o) for o in locked.officials.all())
        if officials_after != officials_before:
            changes["officials"] = [officials_before, officials_after]
        if made:
            changes["commitments"] = [None, [c.text for c in made]]
        if attachments:
            changes["attachments"] = [None, [u.name for u in attachments]]
        audit_record(by=by, action="official_meeting.update", target=locked, detail={"fields": _trail(changes)})
    return locked


def commitment_set_status(*, commitment: Commitment, status: str, by: User) -> Commitment:
    access = selectors.engagement_access(by)
    if not access.may_edit(commitment.meeting):
        raise EngagementError(_("You can edit your own organisation's meetings only."))
    if status not in Commitment.Status.values:
        raise EngagementError(_("Choose a status from the list."))
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if locked.status == status:
            return locked
        before = locked.status
        locked.status = status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        audit_record(
            by=by,
            action="commitment.set_status",
            target=locked,
            detail={"status": [before, status], "meeting": locked.meeting_id},
        )
    return locked


# --- follow-ups --------------------------------------------------------------------------------------------


def follow_up_create(
    *,
    by: User,
    title: str,
    owner: User | None,
    due_on: date | None,
    notes: str = "",
    meeting: OfficialMeeting | None = None,
    commitment: Commitment | None = None,
    state: State | None = None,
    position: Position | None = None,
) -> FollowUp:
    """A task for `owner`. The owner must be a coalition user who may read the meeting it comes from, so the
    reminders never tell anyone about a restricted meeting they could not open."""
    access = selectors.engagement_access(by)
    if not access.allowed:
        raise EngagementError(_("Only the coalition's staff and member organisations' editors create follow-ups."))
    if not title.strip():
        raise EngagementError(_("Say what is to be done."), field="title")
    if owner is None:
        raise EngagementError(_("A follow-up needs an owner: choose who will do it."), field="owner")
    if due_on is None:
        raise EngagementError(_("A follow-up needs a due date."), field="due_on")
    if due_on < timezone.localdate():
        raise EngagementError(_("The due date is in the past: choose today or a later day."), field="due_on")
    if commitment is not None:
        meeting = meeting or commitment.meeting
        if commitment.meeting_id != meeting.pk:
            raise EngagementError(_("This commitment was made at another meeting."), field="commitment")
    owner_access = selectors.engagement_access(owner)
    if not owner_access.allowed:
        raise EngagementError(
            _("%(owner)s is not a coalition user: choose staff or a member organisation's editor.")
            % {"owner": owner.full_name or owner.email},
            field="owner",
        )
    if meeting is not None:
        if not access.may_read(meeting):
            raise EngagementError(_("This meeting is not yours to follow up."))
        if not owner_access.may_read(meeting):
            raise EngagementError(
                _("%(owner)s may not read this restricted meeting: choose staff or someone of its organisation.")
                % {"owner": owner.full_name or owner.email},
                field="owner",
            )
        state = state or meeting.state
    if position is not None and state is not None and position.state_id != state.pk:
        raise EngagementError(
            _("%(official)s is not an official of %(state)s.")
            % {"official": position.title, "state": state.display_name},
            field="position",
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            title=title.strip(),
            notes=notes.strip(),
            owner=owner,
            due_on=due_on,
            meeting=meeting,
            commitment=commitment,
            state=state or (position.state if position else None),
            position=position,
            created_by=by,
        )
        audit_record(
            by=by,
            action="follow_up.create",
            target=follow_up,
            detail={"owner": owner, "due_on": due_on, "meeting": meeting.pk if meeting else None},
        )
    return follow_up


def follow_up_complete(*, follow_up: FollowUp, by: User) -> FollowUp:
    access = selectors.engagement_access(by)
    if not (access.staff or follow_up.owner_id == by.pk):
        raise EngagementError(_("Only its owner or the coalition's staff can complete a follow-up."))
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status == FollowUp.Status.DONE:
            return locked
        before = locked.status
        locked.status = FollowUp.Status.DONE
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        audit_record(by=by, action="follow_up.complete", target=locked, detail={"status": [before, "done"]})
    return locked


def follow_up_send_reminders(*, today: date | None = None, now: datetime | None = None) -> int:
    """E-mail each owner a few days before the due date and on it; returns how many reminders were queued.

    Each reminder is claimed by inserting its `FollowUpReminder` row in the transaction that queues the
    e-mail: two workers running at once collide on the unique constraint and only one queues it; a worker that
    dies before committing leaves neither row nor e-mail, so the next run sends it. Safe to run any number of
    times (the scheduler runs it every hour).
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    days_before = settings.ENGAGEMENT_REMINDER_DAYS_BEFORE
    sent = 0
    for follow_up in selectors.follow_ups_due_for_reminder(today=today, days_before=days_before):
        kind = FollowUpReminder.Kind.DUE if follow_up.due_on == today else FollowUpReminder.Kind.BEFORE
        if FollowUpReminder.objects.filter(follow_up=follow_up, kind=kind, due_on=follow_up.due_on).exists():
            continue
        try:
            with transaction.atomic():
                FollowUpReminder.objects.create(follow_up=follow_up, kind=kind, due_on=follow_up.due_on, sent_at=now)
                _send_reminder(follow_up, kind)
        except IntegrityError:
            continue  # another worker claimed it first
        sent += 1
    return sent


def _send_reminder(follow_up: FollowUp, kind: str) -> None:
    owner = follow_up.owner
    if not owner.email or not owner.is_active:
        return
    meeting = follow_up.meeting
    # The meeting is named only to someone who may still read it (visibility or roles may have changed).
    meeting_url = ""
    if meeting is not None and selectors.engagement_access(owner).may_read(meeting):
        meeting_url = link_in_language(meeting.get_absolute_url, owner.preferred_language)
    email_send(
        to=owner.email,
        template="engagement-follow-up-due" if kind == FollowUpReminder.Kind.DUE else "engagement-follow-up-soon",
        context={
            "follow_up": follow_up,
            "owner": owner,
            "state_name": follow_up.state.name if follow_up.state else "",
            "meeting_url": meeting_url,
            "url": link_in_language(lambda: reverse("engagement:follow-ups"), owner.preferred_language),
        },
        language=owner.preferred_language or None,
    )


# --- delegations -------------------------------------------------------------------------------------------


def _staff_only(by: User) -> None:
    if not selectors.engagement_access(by).staff:
        raise EngagementError(_("Only the coalition's staff run delegations."))


def delegation_create(*, meeting: Meeting, by: User, notes: str = "") -> Delegation:
    _staff_only(by)
    with transaction.atomic():
        delegation, created = Delegation.objects.get_or_create(
            meeting=meeting, defaults={"notes": notes.strip(), "created_by": by}
        )
        if created:
            audit_record(by=by, action="delegation.create", target=delegation, detail={"meeting": meeting.slug})
    return delegation


def delegate_add(
    *,
    delegation: Delegation,
    user: User,
    by: User,
    organisation: Organisation | None = None,
    arrives_on: date | None = None,
    leaves_on: date | None = None,
) -> Delegate:
    _staff_only(by)
    if not selectors.engagement_access(user).allowed:
        raise EngagementError(
            _("%(person)s is not a coalition user: choose staff or a member organisation's editor.")
            % {"person": user.full_name or user.email},
            field="user",
        )
    if arrives_on and leaves_on and leaves_on < arrives_on:
        raise EngagementError(_("The delegate cannot leave before arriving."), field="leaves_on")
    if organisation is None:
        organisation = user.edited_organisations.order_by("name").first()
    try:
        with transaction.atomic():
            delegate = Delegate.objects.create(
                delegation=delegation,
                user=user,
                organisation=organisation,
                arrives_on=arrives_on,
                leaves_on=leaves_on,
            )
            audit_record(
                by=by,
                action="delegation.add_delegate",
                target=delegation,
                detail={
                    "delegate": user,
                    "organisation": organisation,
                    "arrives_on": arrives_on,
                    "leaves_on": leaves_on,
                },
            )
    except IntegrityError:
        raise EngagementError(
            _("%(person)s is already in the delegation.") % {"person": user.full_name or user.email}, field="user"
        ) from None
    return delegate


def assignment_set(*, delegation: Delegation, delegate: Delegate, state: State, by: User, asks: str = "") -> Assignment:
    """Give `state`'s delegation to `delegate` (replacing whoever covered it), with what to ask of it."""
    _staff_only(by)
    if delegate.delegation_id != delegation.pk:
        raise EngagementError(
            _("%(person)s is not in this delegation: add them to it first.") % {"person": str(delegate)},
            field="delegate",
        )
    with transaction.atomic():
        assignment, created = Assignment.objects.select_for_update().get_or_create(
            delegation=delegation, state=state, defaults={"delegate": delegate, "asks": asks.strip()}
        )
        before = {"delegate": assignment.delegate_id, "asks": assignment.asks}
        if not created:
            assignment.delegate = delegate
            assignment.asks = asks.strip()
            assignment.save(update_fields=["delegate", "asks"])
        audit_record(
            by=by,
            action="delegation.assign",
            target=delegation,
            detail={
                "state": state.pk,
                "delegate": delegate.user_id,
                "changes": {} if created else field_changes(before, {"delegate": delegate.pk, "asks": assignment.asks}),
            },
        )
    return assignment


def bilateral_log(
    *,
    delegation: Delegation,
    by: User,
    state: State,
    held_on: date,
    officials: Sequence[OtherOfficial] = (),
    positions: Sequence[Position] = (),
    stated_position: str = OfficialMeeting.Stance.NOT_STATED,
    outcome: str = "",
    commitments: Sequence[str] = (),
    follow_up_title: str = "",
    follow_up_due: date | None = None,
    visibility: str = Visibility.COALITION,
) -> OfficialMeeting:
    """A conversation with a state's delegation during the treaty meeting, logged from the day sheet: it becomes
    a meeting record of that state (with its commitments), and its follow-up goes to the one who logged it."""
    access = selectors.engagement_access(by)
    delegate = delegation.delegates.filter(user_id=by.pk).select_related("organisation").first()
    if delegate is None and not access.staff:
        raise EngagementError(_("Only the delegation's members log its bilaterals."))
    organisation = delegate.organisation if delegate else None
    if organisation is not None and not access.staff and organisation.pk not in access.organisation_ids:
        organisation = None
    if organisation is None and not access.staff:
        organisation = Organisation.objects.filter(pk__in=access.organisation_ids).order_by("name").first()
    if follow_up_title.strip() and follow_up_due is None:
        raise EngagementError(_("A follow-up needs a due date."), field="follow_up_due")
    if follow_up_due is not None and follow_up_due < timezone.localdate():
        raise EngagementError(_("The due date is in the past: choose today or a later day."), field="follow_up_due")
    with transaction.atomic():
        meeting = meeting_create(
            by=by,
            data={
                "state": state,
                "organisation": organisation,
                "held_on": held_on,
                "status": OfficialMeeting.Status.HELD,
                "format": OfficialMeeting.Format.IN_PERSON,
                "topics": [Topic.MEETINGS],
                "stated_position": stated_position,
                "outcome": outcome,
                "visibility": visibility,
            },
            positions=positions,
            other_officials=officials,
            commitments=commitments,
            delegation=delegation,
        )
        if follow_up_title.strip():
            follow_up_create(by=by, title=follow_up_title, owner=by, due_on=follow_up_due, meeting=meeting)
    return meeting


# --- the country briefs of a delegation, printed as one PDF ---------------------------------------------------


def delegation_briefs_request(*, delegation: Delegation, by: User, language: str) -> DelegationBriefs:
    """Ask for one PDF of the briefs of every state assigned in the delegation, drawn by a task for `by` in
    `language`. The same person's unfinished request for the same delegation and language is reused."""
    from coalition.engagement import tasks

    with transaction.atomic():
        states = delegation.assignments.count()
        if not states:
            raise EngagementError(_("No state is assigned in this delegation yet: there is no brief to print."))
        pending = DelegationBriefs.objects.filter(
            delegation=delegation,
            requested_by=by,
            language=language,
            status__in=[DelegationBriefs.Status.QUEUED, DelegationBriefs.Status.RUNNING],
        ).first()
        if pending is not None:
            return pending
        job = DelegationBriefs.objects.create(
            delegation=delegation, requested_by=by, language=language, states_total=states
        )
        enqueue_on_commit(tasks.build_delegation_briefs, job.pk)
    return job


def delegation_briefs_build(*, job_id: int) -> str:
    """Draw the briefs into one PDF, state after state in the delegation page's order, with the restricted parts
    the requester may read when it runs. Idempotent: a finished job is left alone, an interrupted one starts
    again. Not one transaction: the progress written after each state must be seen by the progress page."""
    from coalition.states.brief import state_brief
    from coalition.states.brief_pdf import briefs_pdf

    job = DelegationBriefs.objects.select_related("delegation__meeting", "requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status == DelegationBriefs.Status.DONE:
        return "already done"
    jobs = DelegationBriefs.objects.filter(pk=job.pk)
    rows = selectors.delegation_page(job.delegation)["assignments"]
    iso3s = [row["assignment"].state_id for row in rows]
    jobs.update(status=DelegationBriefs.Status.RUNNING, states_done=0, states_total=len(iso3s))
    try:
        with translation.override(job.language):
            title = _("Country briefs for the delegation to %(meeting)s") % {"meeting": job.delegation.meeting.name}
            content = briefs_pdf(
                (state_brief(iso3=iso3, user=job.requested_by) for iso3 in iso3s),
                title=title,
                done=lambda n: jobs.update(states_done=n),
            )
        job.file.save(f"briefs-{job.pk}.pdf", ContentFile(content), save=False)
    except Exception:
        logger.exception("The briefs of delegation %s could not be drawn", job.delegation_id)
        jobs.update(status=DelegationBriefs.Status.FAILED, finished_at=timezone.now())
        raise
    jobs.update(status=DelegationBriefs.Status.DONE, file=job.file.name, finished_at=timezone.now())
    return "done"


def delegation_briefs_purge(*, now: datetime | None = None) -> int:
    """Delete printed briefs (the PDF and its request) asked for more than ENGAGEMENT_PRINTED_BRIEFS_DAYS ago:
    they hold the restricted parts their requester could read that day, and a fresh print is one click away.
    A request that old and still waiting or drawing is a dead one (its worker stopped) and goes too. Returns how
    many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ENGAGEMENT_PRINTED_BRIEFS_DAYS)
    deleted = 0
    for job in DelegationBriefs.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)  # a file already gone is no error
        job.delete()
        deleted += 1
    return deleted
