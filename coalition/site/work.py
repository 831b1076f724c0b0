"""The queues of staff work, in one place: the staff work page (/staff/) and the hourly digest read them.

A queue is a queryset of the entries waiting for someone's decision, the permission of who may decide, and where
that is done. Adding a queue here puts it on the work page and in the digest of everyone who may act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.events.models import Event
from coalition.letters.models import Action, Message
from coalition.mailings.models import Mailing
from coalition.members.models import MembershipApplication
from coalition.research.models import Status as ResearchStatus
from coalition.research.selectors import KINDS as RESEARCH_KINDS

# Follow-ups due within this many days are shown on the work page.
FOLLOW_UPS_AHEAD_DAYS = 7


@dataclass(frozen=True)
class Queue:
    key: str
    title: str | Promise
    permission: str
    url: Callable[[], str]
    entries: Callable[[], QuerySet[Any]]
    entry_label: Callable[[Any], str]
    entry_url: Callable[[Any], str]
    in_digest: bool = True


def _research_queue(kind: str, model: type[Model], title: str | Promise) -> Queue:
    return Queue(
        key=f"research.{kind}",
        title=title,
        permission="research.review_record",
        url=lambda: reverse("research:inbox") + f"?kind={kind}",
        entries=lambda: model._default_manager.filter(status=ResearchStatus.SUBMITTED).order_by("submitted_at", "pk"),
        entry_label=str,
        entry_url=lambda record: reverse("research:record", kwargs={"kind": kind, "pk": record.pk}),
    )


RESEARCH_TITLES: dict[str, str | Promise] = {
    "casualty": _("Casualty records to review"),
    "strike": _("Strike records to review"),
    "area": _("Contaminated areas to review"),
    "report": _("Research reports to review"),
}

QUEUES: list[Queue] = [
    Queue(
        key="members.application",
        title=_("Membership applications"),
        permission="members.change_membershipapplication",
        url=lambda: reverse("members:staff-applications"),
        entries=lambda: (
            MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ),
        entry_label=lambda application: application.organisation.name,
        entry_url=lambda application: reverse("members:staff-application", kwargs={"pk": application.pk}),
    ),
    Queue(
        key="events.review",
        title=_("Events to review"),
        permission="events.moderate_event",
        url=lambda: reverse("events:review-queue"),
        entries=lambda: Event.objects.filter(status=Event.Status.SUBMITTED).order_by("updated_at", "pk"),
        entry_label=lambda event: event.title,
        entry_url=lambda event: reverse("events:review", kwargs={"pk": event.pk}),
    ),
    *(_research_queue(kind, model, RESEARCH_TITLES.get(kind, kind)) for kind, model in RESEARCH_KINDS.items()),
    Queue(
        key="letters.held",
        title=_("Letters held for review"),
        permission="letters.change_message",
        url=lambda: reverse("admin:letters_message_changelist") + "?status__exact=held",
        entries=lambda: Message.objects.filter(status=Message.Status.HELD).select_related("action").order_by("pk"),
        # Never the writer's name: the digest is an e-mail, and the entry is reviewed on the action's staff page.
        entry_label=lambda message: f"{message.action.title}: {message.hold_reason}".rstrip(": "),
        entry_url=lambda message: reverse("letters:staff-action", kwargs={"slug": message.action.slug}),
    ),
    Queue(
        key="letters.draft_action",
        title=_("Draft actions"),
        permission="letters.change_action",
        url=lambda: reverse("admin:letters_action_changelist") + "?status__exact=draft",
        entries=lambda: Action.objects.filter(status=Action.Status.DRAFT).order_by("-pk"),
        entry_label=lambda action: action.title,
        entry_url=lambda action: reverse("letters:editor", kwargs={"slug": action.slug}),
    ),
    Queue(
        key="mailings.approval",
        title=_("Mailings waiting for approval"),
        permission="mailings.approve_mailing",
        url=lambda: reverse("mailings:staff-list"),
        entries=lambda: Mailing.objects.filter(status=Mailing.Status.AWAITING_APPROVAL).order_by("created_at", "pk"),
        entry_label=lambda mailing: mailing.subject or f"#{mailing.pk}",
        entry_url=lambda mailing: reverse("mailings:staff-detail", kwargs={"pk": mailing.pk}),
    ),
]


def follow_ups_due(user_id: int) -> QuerySet[Any]:
    """The user's own open follow-ups due within the week (their owner already gets reminders: not in the digest)."""
    from coalition.engagement.models import FollowUp

    horizon = timezone.localdate() + timedelta(days=FOLLOW_UPS_AHEAD_DAYS)
    return FollowUp.objects.filter(owner_id=user_id, status=FollowUp.Status.OPEN, due_on__lte=horizon).order_by(
        "due_on", "pk"
    )


def queue_by_key(key: str) -> Queue | None:
    return next((queue for queue in QUEUES if queue.key == key), None)
