"""Writes of the engagement app about meetings with officials and the commitments made there.

Follow-ups and their reminders are in `follow_ups`, delegations and their bilaterals in `delegations`, the printed
briefs of a delegation in `delegation_briefs`.

Each function checks the rules, stores everything or nothing (one transaction), and writes its entry on the
audit trail. A request the rules refuse raises `EngagementError` with a message for the person who asked.
The outcome of a meeting may hold personal data: the trail records that it changed, never its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record, field_changes
from coalition.engagement import selectors
from coalition.engagement.models import (
    Attendee,
    Commitment,
    Delegation,
    MeetingAttachment,
    OfficialMeeting,
    OfficialMet,
    Topic,
)
from coalition.letters.models import Position
from coalition.lib.downloads import ATTACHMENT_TYPES
from coalition.lib.refusals import Refused
from coalition.members.models import Organisation
from coalition.states.models import State

# Outcome and notes: the trail says they changed, not what they say.
PRIVATE_FIELDS = {"outcome"}


class EngagementError(Refused):
    """A request the rules refuse; the message is for the person who asked, already translated."""


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


def _check_meeting(
    data: Mapping[str, Any],
    *,
    access: selectors.Access,
    positions: Sequence[Position],
    attachments: Sequence[UploadedFile],
) -> None:
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
    for upload in attachments:
        _check_upload(upload)


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


def _store(
    meeting: OfficialMeeting,
    data: Mapping[str, Any],
    positions: Sequence[Position],
    others: Sequence[OtherOfficial],
    attendees: Sequence[AttendeeLine],
    commitments: Sequence[str],
    attachments: Sequence[UploadedFile],
) -> list[Commitment]:
    """Save the meeting's fields, replace who was met and who went, and add the new commitments and attachments."""
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.full_clean()
    meeting.save()
    _set_officials(meeting, positions, others)
    _set_attendees(meeting, attendees)
    made = _add_commitments(meeting, commitments)
    _add_attachments(meeting, attachments)
    return made


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
    _check_meeting(data, access=access, positions=positions, attachments=attachments)
    with transaction.atomic():
        meeting = OfficialMeeting(created_by=by, delegation=delegation)
        made = _store(meeting, data, positions, other_officials, attendees, commitments, attachments)
        detail = {
            "organisation": meeting.organisation,
            "visibility": meeting.visibility,
            "commitments": len(made),
            "delegation": delegation.pk if delegation else None,
        }
        audit_record(by=by, action="official_meeting.create", target=meeting, detail=detail)
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
    _check_meeting(data, access=access, positions=positions, attachments=attachments)
    with transaction.atomic():
        locked = OfficialMeeting.objects.select_for_update().get(pk=meeting.pk)
        before = {name: getattr(locked, name) for name in MEETING_FIELDS if name in data}
        officials_before = sorted(str(o) for o in locked.officials.all())
        made = _store(locked, data, positions, other_officials, attendees, new_commitments, attachments)
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
        detail = {"status": [locked.status, status], "meeting": locked.meeting_id}
        locked.status, locked.status_changed_at = status, timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        audit_record(by=by, action="commitment.set_status", target=locked, detail=detail)
    return locked
