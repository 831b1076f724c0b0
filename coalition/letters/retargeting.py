"""Actions aimed at a treaty status follow the states that move in or out of it.

Targets are computed from the rule when a letter is written, so a state that joins the status is targeted at
once (the cached targets are forgotten). Messages already queued for an official whose state has left the
status are held for a campaigner's decision — released, they go; rejected, they never do — and campaigners
get one notice per change."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.core.services import email_send
from coalition.letters.delivery import places_give_back
from coalition.letters.models import Action, Message
from coalition.letters.selectors import action_cache_clear
from coalition.states.models import State, TreatyStatus
from coalition.states.signals import StatusChange


def off_target_reason(*, before: str, after: str) -> str:
    text = _("The state's treaty status changed from “%(before)s” to “%(after)s”, which this action does not target.")
    return text % {
        "before": TreatyStatus(before).label if before in TreatyStatus.values else before,
        "after": TreatyStatus(after).label if after in TreatyStatus.values else after,
    }


def off_target_on_confirm(message: Message) -> str:
    """Why a message being confirmed is held: its state left the status the action targets since it was
    written; or ''."""
    action, state = message.action, message.position.state
    if action.target != Action.Target.ROLE_BY_STATUS or state.status == action.target_treaty_status:
        return ""
    return _("The state's treaty status is now “%(after)s”, which this action does not target.") % {
        "after": state.get_status_display()
    }


@dataclass(frozen=True)
class HeldForStatus:
    action: Action
    state: State
    before: str
    after: str
    count: int


def messages_hold_off_target(*, changes: list[StatusChange]) -> list[HeldForStatus]:
    """Hold the pending messages of live status-targeted actions whose state's new status they do not target.

    A message a worker is sending right now (its lease running) is left to finish: it is already in flight."""
    now = timezone.now()
    moved = {change.iso3: change for change in changes}
    pending = Message.objects.filter(
        status=Message.Status.PENDING,
        action__target=Action.Target.ROLE_BY_STATUS,
        position__state_id__in=list(moved),
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    found: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, action_id, iso3, targeted in pending.values_list(
        "pk", "action_id", "position__state_id", "action__target_treaty_status"
    ):
        if moved[iso3].after != targeted:
            found[(action_id, iso3)].append(pk)
    held = []
    actions = Action.objects.in_bulk([action_id for action_id, _iso3 in found])
    states = State.objects.in_bulk([iso3 for _action_id, iso3 in found])
    for (action_id, iso3), ids in sorted(found.items()):
        change = moved[iso3]
        messages = Message.objects.filter(pk__in=ids, status=Message.Status.PENDING)
        places_give_back(messages)
        count = messages.update(
            status=Message.Status.HELD,
            send_after=None,
            hold_reason=off_target_reason(before=change.before, after=change.after)[:200],
        )
        if count:
            held.append(HeldForStatus(actions[action_id], states[iso3], change.before, change.after, count))
    return held


def campaigners_tell(held: list[HeldForStatus]) -> int:
    """One e-mail to each campaigner listing what a status change held; none when nothing was held."""
    if not held:
        return 0
    recipients = User.objects.filter(is_active=True, groups__name=Role.CAMPAIGNER).exclude(email="").distinct()
    sent = 0
    for user in recipients:
        email_send(
            to=user.email,
            template="letters-held-for-status",
            context={"held": held},
            language=user.preferred_language or None,
        )
        sent += 1
    return sent


def on_treaty_status_changed(sender: Any, *, changes: list[StatusChange], **kwargs: Any) -> None:
    action_cache_clear()  # the states' status moved through bulk_update, which sends no post_save
    campaigners_tell(messages_hold_off_target(changes=changes))
