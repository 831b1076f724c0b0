"""The parts of a state's page and brief that apps above states hold: research figures, letters to its
officials and their replies, meetings with them. States sits below those apps and may not import them, so each
registers its part here (`register_state_section`) from its own `state_sections` module, which
`state_sections()` finds the way `coalition/core/discovery.py` finds `personal_data`; an app that is not
installed simply adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from coalition.core.discovery import app_modules

if TYPE_CHECKING:
    from coalition.states.models import State


class PagePart(Protocol):
    def __call__(self, state: State, user: Any, /) -> dict[str, Any] | None:
        """Context for the section's template on the state's page; None when this user is not shown it."""


class BriefPart(Protocol):
    def __call__(self, state: State, user: Any, /) -> dict[str, Any]:
        """Parts of the brief by the name the brief knows them by ("research", "letters", "timeline")."""


class CoalitionRule(Protocol):
    def __call__(self, user: Any, /) -> bool:
        """Whether the user belongs to the coalition, so may read the brief's restricted parts."""


@dataclass(frozen=True)
class StateSection:
    """What one app adds to a state's page and brief; every part is optional.

    `page` and `template`: a section of the state's page; `brief`: public parts of the brief; `restricted_brief`:
    parts only coalition users see (asked for only once `can_read_restricted` said yes); `in_coalition`: the
    app's rule for who belongs to the coalition.
    """

    app: str
    template: str = ""
    page: PagePart | None = None
    brief: BriefPart | None = None
    restricted_brief: BriefPart | None = None
    in_coalition: CoalitionRule | None = None


@dataclass(frozen=True)
class PageSection:
    """A section of one state's page as shown: the template and its context."""

    template: str
    context: dict[str, Any]


_SECTIONS: dict[str, StateSection] = {}
_order: dict[str, int] | None = None  # app label -> place in INSTALLED_APPS, once the modules are imported


def register_state_section(section: StateSection) -> None:
    """Called by an app's `state_sections` module when it is imported; registering again replaces."""
    _SECTIONS[section.app] = section


def state_sections() -> list[StateSection]:
    """Every registered section, in INSTALLED_APPS order (research's figures before engagement's timeline)."""
    global _order
    if _order is None:
        # Importing each app's module registers its section.
        _order = {label: n for n, (label, _module) in enumerate(app_modules("state_sections"))}
    order = _order
    return sorted(_SECTIONS.values(), key=lambda section: order.get(section.app, len(order)))


def page_sections(state: State, user: Any) -> list[PageSection]:
    """The sections other apps add to the state's page, for this user."""
    shown = []
    for section in state_sections():
        context = section.page(state, user) if section.page else None
        if context is not None:
            shown.append(PageSection(section.template, context))
    return shown


def brief_parts(state: State, user: Any, *, restricted: bool = False) -> dict[str, Any]:
    """The brief's parts other apps hold, by name: the public ones, or (`restricted`) those for coalition users."""
    parts: dict[str, Any] = {}
    for section in state_sections():
        read = section.restricted_brief if restricted else section.brief
        if read is not None:
            parts.update(read(state, user))
    return parts


def in_coalition(user: Any) -> bool:
    """Whether any app's rule counts the user as one of the coalition's."""
    return any(section.in_coalition(user) for section in state_sections() if section.in_coalition)
