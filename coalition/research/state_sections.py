"""Research's part of a state's page and brief: the approved figures (`coalition.states.sections`)."""

from __future__ import annotations

from typing import Any

from coalition.research.selectors import state_summary
from coalition.states.models import State
from coalition.states.sections import StateSection, register_state_section


def _page(state: State, user: Any) -> dict[str, Any]:
    return {"research_summary": state_summary(state.iso3)}


def _brief(state: State, user: Any) -> dict[str, Any]:
    # The one research read: casualties by year, strikes (the research app owns its breakdowns).
    return {"research": state_summary(state.iso3)}


register_state_section(
    StateSection(app="research", template="research/includes/state_summary.html", page=_page, brief=_brief)
)
