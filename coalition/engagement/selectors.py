"""Reads of the engagement app, each already limited to what the user may see.

Who sees what (decision 0701):
- campaigners (and the superuser) — `staff` below — see and edit every meeting, follow-up and delegation;
- member organisations' editors see meetings visible to the coalition and their own organisation's restricted
  ones, and edit their own organisation's;
- everyone else (researchers, reviewers, supporters, visitors) sees nothing of this app.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.engagement.models import (
    Assignment,
    Attendee,
    Commitment,
    Delegate,
    Delegation,
    FollowUp,
    OfficialMeeting,
    OfficialMet,
    Visibility,
)
from coalition.engagement.priority import RECENT, Priority, state_priority
from coalition.states.models import Meeting, State

STAFF_PERMISSION = "engagement.change_officialmeeting"


# --- access -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What one user may do in this app; computed once per request (`engagement_access`)."""

    user_id: int | None
    staff: bool = False
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def allowed(self) -> bool:
        return self.staff or bool(self.organisation_ids)

    def may_edit(self, meeting: OfficialMeeting) -> bool:
        return self.staff or (meeting.organisation_id is not None and meeting.organisation_id in self.organisation_ids)

    def may_read(self, meeting: OfficialMeeting) -> bool:
        if not self.allowed:
            return False
        return meeting.visibility == Visibility.COALITION or self.may_edit(meeting)


NO_ACCESS = Access(user_id=None)


def engagement_access(user: Any) -> Access:
    """The user's rights here (two queries for an editor, none for a visitor), kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_engagement_access", None)
    if cached is not None:
        return cached
    staff = user.has_perm(STAFF_PERMISSION)
    organisation_ids = frozenset() if staff else frozenset(user.edited_organisations.values_list("pk", flat=True))
    access = Access(user_id=user.pk, staff=staff, organisation_ids=organisation_ids)
    user._engagement_access = access
    return access


def visible_meeting_filter(access: Access) -> Q:
    if access.staff:
        return Q()
    if not access.allowed:
        return Q(pk__in=[])
    return Q(visibility=Visibility.COALITION) | Q(organisation_id__in=access.organisation_ids)


def meetings_visible(access: Access) -> QuerySet[OfficialMeeting]:
    return OfficialMeeting.objects.filter(visible_meeting_filter(access))


def coalition_users() -> QuerySet[User]:
    """Who may own a follow-up or sit in a delegation: campaigners, the superusers and organisations' editors."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="change_officialmeeting")
            | Q(edited_organisations__isnull=False)
        )
        .distinct()
        .order_by("full_name", "email")
    )


# --- meetings -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    state: str = ""
    organisation: int | None = None
    official: str = ""
    date_from: date | None = None
    date_to: date | None = None
    commitment_status: str = ""


def meetings_search(access: Access, filters: MeetingFilters | None = None) -> QuerySet[OfficialMeeting]:
    """The meetings the user may read, newest first, with what the list shows (three queries when iterated)."""
    filters = filters or MeetingFilters()
    meetings = meetings_visible(access).select_related("state", "organisation")
    if filters.state:
        meetings = meetings.filter(state_id=filters.state)
    if filters.organisation:
        meetings = meetings.filter(organisation_id=filters.organisation)
    if filters.official:
        meetings = meetings.filter(
            Q(officials__name__icontains=filters.official) | Q(officials__title__icontains=filters.official)
        )
    if filters.date_from:
        meetings = meetings.filter(held_on__gte=filters.date_from)
    if filters.date_to:
        meetings = meetings.filter(held_on__lte=filters.date_to)
    if filters.commitment_status:
        meetings = meetings.filter(commitments__status=filters.commitment_status)
    if filters.official or filters.commitment_status:
        meetings = meetings.distinct()
    return meetings.prefetch_related(
        Prefetch("officials", queryset=OfficialMet.objects.order_by("id")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("id")),
    ).order_by("-held_on", "-id")


def meeting_for_reading(access: Access, pk: int) -> OfficialMeeting | None:
    """One meeting with everything its page shows, or None when it does not exist or is not the user's to read."""
    meeting = (
        meetings_visible(access)
        .select_related("state", "organisation", "created_by", "delegation__meeting")
        .prefetch_related(
            Prefetch("officials", queryset=OfficialMet.objects.select_related("position", "person").order_by("id")),
            Prefetch("attendees", queryset=Attendee.objects.select_related("organisation").order_by("id")),
            Prefetch("commitments", queryset=Commitment.objects.order_by("id")),
            "attachments",
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner").order_by("due_on", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    return meeting


def meetings_csv_rows(meetings: QuerySet[OfficialMeeting]) -> tuple[list[str], Any]:
    """The header and rows of the meetings export: only what the list already limited to the user."""
    header = [
        str(_("Date")),
        str(_("State")),
        str(_("Status")),
        str(_("Format")),
        str(_("Recorded for")),
        str(_("Officials met")),
        str(_("Topics")),
        str(_("Stated position")),
        str(_("Commitments")),
        str(_("Visibility")),
    ]

    def rows() -> Any:
        for meeting in meetings:
            yield [
                meeting.held_on,
                meeting.state.name,
                meeting.get_status_display(),
                meeting.get_format_display(),
                meeting.organisation.name if meeting.organisation else _("Coalition staff"),
                "; ".join(str(official) for official in meeting.officials.all()),
                "; ".join(meeting.topic_labels()),
                meeting.get_stated_position_display(),
                "; ".join(f"{c.text} ({c.get_status_display()})" for c in meeting.commitments.all()),
                meeting.get_visibility_display(),
            ]

    return header, rows()


def recent_meetings(access: Access, *, limit: int = 10) -> list[OfficialMeeting]:
    return list(meetings_visible(access).select_related("state", "organisation").order_by("-held_on", "-id")[:limit])


# --- follow-ups ---------------------------------------------------------------------------------------------


def follow_ups_for(access: Access, *, everyone: bool = False, include_done: bool = False) -> QuerySet[FollowUp]:
    """The user's own follow-ups (staff: everyone's when asked), soonest due first."""
    follow_ups = FollowUp.objects.select_related("owner", "state", "meeting", "meeting__state")
    if not (access.staff and everyone):
        follow_ups = follow_ups.filter(owner_id=access.user_id)
    if not include_done:
        follow_ups = follow_ups.filter(status=FollowUp.Status.OPEN)
    return follow_ups.order_by("due_on", "id")


def follow_up_for_owner_or_staff(access: Access, pk: int) -> FollowUp | None:
    follow_up = FollowUp.objects.filter(pk=pk).first()
    if follow_up is None or not (access.staff or follow_up.owner_id == access.user_id):
        return None
    return follow_up


def follow_ups_due_for_reminder(*, today: date, days_before: int) -> QuerySet[FollowUp]:
    """Open follow-ups due today or in `days_before` days: the two reminders."""
    return (
        FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_on__in=[today, today + timedelta(days=days_before)])
        .select_related("owner", "state", "meeting")
        .order_by("pk")
    )


# --- delegations ---------------------------------------------------------------------------------------------


def delegation_for(meeting: Meeting) -> Delegation | None:
    return Delegation.objects.filter(meeting=meeting).first()


def delegation_page(delegation: Delegation) -> dict[str, Any]:
    """The delegates, and the assignments with their priority (four queries)."""
    delegates = list(delegation.delegates.select_related("user", "organisation").order_by("id"))
    assignments = list(
        delegation.assignments.select_related("state", "delegate__user", "delegate__organisation").order_by("id")
    )
    priorities = state_priorities([a.state for a in assignments])
    rows = [
        {"assignment": a, "priority": priorities[a.state_id]}
        for a in sorted(assignments, key=lambda a: (priorities[a.state_id], a.state.name))
    ]
    return {"delegates": delegates, "assignments": rows}


def state_priorities(states: list[State], *, today: date | None = None) -> dict[str, Priority]:
    """Each state's lobbying priority, from its status and the coalition-visible commitments of the last year
    (restricted meetings never move it: every delegate sees the same priority, and it tells nothing)."""
    today = today or timezone.localdate()
    recent: dict[str, list[str]] = defaultdict(list)
    if states:
        rows = Commitment.objects.filter(
            state_id__in=[state.pk for state in states],
            meeting__visibility=Visibility.COALITION,
            meeting__held_on__gte=today - RECENT,
        ).values_list("state_id", "status")
        for state_id, status in rows:
            recent[state_id].append(status)
    return {state.pk: state_priority(status=state.status, recent_commitments=recent[state.pk]) for state in states}


@dataclass
class SheetRow:
    assignment: Assignment
    priority: Priority
    last_meeting_on: date | None
    open_commitments: list[Commitment]


def day_sheet(*, delegation: Delegation, delegate: Delegate, access: Access) -> list[SheetRow]:
    """The delegate's states, highest priority first: status, last meeting, open commitments, the asks
    (four queries)."""
    visible = meetings_visible(access)
    last = visible.filter(state_id=OuterRef("state_id"), status=OfficialMeeting.Status.HELD).order_by("-held_on")
    assignments = list(
        Assignment.objects.filter(delegation=delegation, delegate=delegate)
        .select_related("state")
        .annotate(last_meeting_on=Subquery(last.values("held_on")[:1]))
        .order_by("state__name")
    )
    states = [a.state for a in assignments]
    priorities = state_priorities(states)
    open_commitments: dict[str, list[Commitment]] = defaultdict(list)
    if states:
        for commitment in (
            Commitment.objects.filter(
                state_id__in=[s.pk for s in states], status__in=Commitment.OPEN, meeting__in=visible
            )
            .select_related("meeting")
            .order_by("meeting__held_on", "id")
        ):
            open_commitments[commitment.state_id].append(commitment)
    rows = [
        SheetRow(
            assignment=a,
            priority=priorities[a.state_id],
            last_meeting_on=a.last_meeting_on,
            open_commitments=open_commitments[a.state_id],
        )
        for a in assignments
    ]
    return sorted(rows, key=lambda row: (row.priority, row.assignment.state.name))


def delegate_of(delegation: Delegation, user: Any) -> Delegate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return delegation.delegates.select_related("organisation").filter(user_id=user.pk).first()


def delegation_report(*, delegation: Delegation, access: Access) -> dict[str, Any]:
    """After the meeting: the states met, the commitments obtained and the follow-ups created (three queries)."""
    bilaterals = list(
        meetings_visible(access)
        .filter(delegation=delegation)
        .select_related("state", "organisation")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("id")))
        .order_by("state__name", "held_on", "id")
    )
    follow_ups = list(
        FollowUp.objects.filter(meeting__in=[m.pk for m in bilaterals]).select_related("owner", "meeting__state")
        if bilaterals
        else []
    )
    states = sorted({m.state for m in bilaterals}, key=lambda s: s.name)
    commitments = [c for m in bilaterals for c in m.commitments.all()]
    return {"bilaterals": bilaterals, "states": states, "commitments": commitments, "follow_ups": follow_ups}


def upcoming_treaty_meetings(access: Access, *, today: date | None = None) -> list[dict[str, Any]]:
    """Treaty meetings still to come (or under way), with the user's assignments at each (two queries)."""
    today = today or timezone.localdate()
    meetings = list(Meeting.objects.filter(Q(end__gte=today) | Q(end__isnull=True, start__gte=today)).order_by("start"))
    mine: dict[int, list[Assignment]] = defaultdict(list)
    if meetings and access.user_id:
        for assignment in Assignment.objects.filter(
            delegation__meeting__in=meetings, delegate__user_id=access.user_id
        ).select_related("state", "delegation"):
            mine[assignment.delegation.meeting_id].append(assignment)
    return [{"meeting": m, "assignments": mine[m.pk]} for m in meetings]


# --- a state's engagement timeline -------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a state's engagement timeline."""

    on: date
    kind: str  # "meeting", "commitment", "letters", "reply"
    title: str
    detail: str = ""
    status: str = ""
    url: str = ""


def state_timeline(*, state: State, user: Any, with_letters: bool = True) -> list[TimelineEntry]:
    """What the coalition did with `state`, newest first: meetings with its officials and the commitments made
    there (only those `user` may read), letters sent to its officials (counted by action) and their replies.

    Empty for anyone who is not a coalition user (no query then). Used by the state profile and the country
    brief (which lists letters itself: `with_letters=False`); five queries, or three without letters (and, once
    per request, the user's rights).
    """
    access = engagement_access(user)
    if not access.allowed:
        return []
    from coalition.letters.models import Message, Reply

    entries: list[TimelineEntry] = []
    meetings = list(
        meetings_visible(access)
        .filter(state=state)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("officials", queryset=OfficialMet.objects.order_by("id")),
            Prefetch("commitments", queryset=Commitment.objects.order_by("id")),
        )
    )
    for meeting in meetings:
        officials = "; ".join(str(o) for o in meeting.officials.all())
        entries.append(
            TimelineEntry(
                on=meeting.held_on,
                kind="meeting",
                title=_("Meeting with %(officials)s") % {"officials": officials}
                if officials
                else _("Meeting with officials"),
                detail=", ".join(
                    part
                    for part in (
                        meeting.get_format_display(),
                        meeting.organisation.name if meeting.organisation else "",
                        _("stated position: %(position)s") % {"position": meeting.get_stated_position_display()},
                    )
                    if part
                ),
                status=meeting.get_status_display(),
                url=meeting.get_absolute_url(),
            )
        )
        for commitment in meeting.commitments.all():
            entries.append(
                TimelineEntry(
                    on=meeting.held_on,
                    kind="commitment",
                    title=_("Commitment: %(text)s") % {"text": commitment.text},
                    status=commitment.get_status_display(),
                    url=meeting.get_absolute_url(),
                )
            )
    if with_letters:
        letters = (
            Message.objects.filter(position__state=state, status=Message.Status.SENT, sent_at__isnull=False)
            .values("action_id", "action__title")
            .annotate(count=Count("pk"), last=Max("sent_at"))
            .order_by()
        )
        for row in letters:
            entries.append(
                TimelineEntry(
                    on=timezone.localdate(row["last"]),
                    kind="letters",
                    title=_("%(count)s letters sent: %(action)s")
                    % {"count": row["count"], "action": row["action__title"]},
                )
            )
        for reply in Reply.objects.filter(position__state=state).select_related("position", "action"):
            entries.append(
                TimelineEntry(
                    on=reply.received_on,
                    kind="reply",
                    title=_("Reply from %(official)s (%(action)s)")
                    % {"official": reply.position.title, "action": reply.action.title},
                    detail=reply.summary,
                    status=reply.get_stance_display(),
                )
            )
    order = {"meeting": 0, "commitment": 1, "letters": 2, "reply": 3}
    entries.sort(key=lambda e: (-e.on.toordinal(), order[e.kind], e.title))
    return entries
