"""Engagement's part of a state's page and brief: meetings with its officials and the commitments made there,
for coalition users only, and the rule for who they are (`coalition.states.sections`)."""

from __future__ import annotations

from typing import Any

from coalition.engagement.selectors import engagement_access, state_timeline
from coalition.states.models import State
from coalition.states.sections import StateSection, register_state_section


def _page(state: State, user: Any) -> dict[str, Any] | None:
    if not engagement_access(user).allowed:
        return None
    return {"engagement_timeline": state_timeline(state=state, user=user)}


def _restricted_brief(state: State, user: Any) -> dict[str, Any]:
    # Letters and replies are listed by the letters app's part of the brief already.
    return {"timeline": state_timeline(state=state, user=user, with_letters=False)}


def _in_coalition(user: Any) -> bool:
    """Campaigners and administrators, and member organisations' editors."""
    return engagement_access(user).allowed


register_state_section(
    StateSection(
        app="engagement",
        template="engagement/includes/state_timeline.html",
        page=_page,
        restricted_brief=_restricted_brief,
        in_coalition=_in_coalition,
    )
)
