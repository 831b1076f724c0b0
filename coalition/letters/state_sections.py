"""Letters' part of a state's brief, for coalition users only: letters sent to its officials by action, and
their replies (`coalition.states.sections`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Max, Min

from coalition.letters.models import Message, Reply
from coalition.states.brief import ActionLetters
from coalition.states.models import State
from coalition.states.sections import StateSection, register_state_section


def _letters(state: State) -> list[ActionLetters]:
    """Per action: messages sent to the state's officials (two queries), and the replies logged."""
    sent = (
        Message.objects.filter(position__state=state, status=Message.Status.SENT)
        .values("action_id", "action__title")
        .annotate(n=Count("id"), first=Min("sent_at"), last=Max("sent_at"))
        .order_by("-last")
    )
    replies: dict[int, list[Reply]] = defaultdict(list)
    for reply in Reply.objects.filter(position__state=state).select_related("position", "action"):
        replies[reply.action_id].append(reply)
    rows = [
        ActionLetters(r["action__title"], r["n"], r["first"], r["last"], replies.pop(r["action_id"], [])) for r in sent
    ]
    # Replies to actions whose messages were sent by post (or before the records began) still show.
    for action_replies in replies.values():
        rows.append(ActionLetters(action_replies[0].action.title, 0, None, None, action_replies))
    return rows


def _restricted_brief(state: State, user: Any) -> dict[str, Any]:
    return {"letters": _letters(state)}


register_state_section(StateSection(app="letters", restricted_brief=_restricted_brief))
