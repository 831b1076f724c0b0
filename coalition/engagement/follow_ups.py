"""Follow-ups of the engagement app: tasks given to a coalition user (often from a meeting or one of its
commitments), and the e-mails that remind their owners before and on the due date.

Each write checks the rules, stores everything or nothing, and writes its entry on the audit trail; a request the
rules refuse raises `EngagementError`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import email_send, link_in_language
from coalition.engagement import selectors
from coalition.engagement.models import Commitment, FollowUp, FollowUpReminder, OfficialMeeting
from coalition.engagement.services import EngagementError
from coalition.letters.models import Position
from coalition.states.models import State


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


@task()
def send_follow_up_reminders() -> int:
    """Reminders of follow-ups due in a few days or today, each sent once (follow_up_send_reminders)."""
    return follow_up_send_reminders()
