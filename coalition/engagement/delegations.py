"""Delegations of the coalition to treaty meetings: who goes, which state each delegate covers and what to ask
of it, and the bilaterals logged there (each becomes a meeting record of its state).

Delegations are run by the coalition's staff; a request the rules refuse raises `EngagementError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record, field_changes
from coalition.engagement import selectors
from coalition.engagement.follow_ups import follow_up_create
from coalition.engagement.models import Assignment, Delegate, Delegation, OfficialMeeting, Topic, Visibility
from coalition.engagement.services import EngagementError, OtherOfficial, meeting_create
from coalition.letters.models import Position
from coalition.members.models import Organisation
from coalition.states.models import Meeting, State


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
    stay = {"organisation": organisation, "arrives_on": arrives_on, "leaves_on": leaves_on}
    try:
        with transaction.atomic():
            delegate = Delegate.objects.create(delegation=delegation, user=user, **stay)
            audit_record(by=by, action="delegation.add_delegate", target=delegation, detail={"delegate": user, **stay})
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
        changes = {} if created else field_changes(before, {"delegate": delegate.pk, "asks": assignment.asks})
        detail = {"state": state.pk, "delegate": delegate.user_id, "changes": changes}
        audit_record(by=by, action="delegation.assign", target=delegation, detail=detail)
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
