"""The country brief: everything the coalition holds on one state, for one reader (reads only).

`state_brief(iso3=, user=)` gathers the public part (treaty status and history, obligations, facts and measures,
research figures, meetings attended and statements) and, through `brief_restricted(state=, user=)`, the part only
signed-in coalition users see (the campaign's asks, letters sent to the state's officials and their replies,
meetings with them and the commitments made). Everything restricted is assembled in `brief_restricted` alone,
so the public brief cannot pick any of it up. A fixed number of queries whatever the volume.

The parts held by apps above states (research figures, letters and replies, meetings with officials) come
through `coalition.states.sections`, where those apps register them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString

from coalition.lib.markdown import render_markdown
from coalition.states import sections, selectors
from coalition.states.models import State, StateAsks

# The permission that marks a coalition user allowed to read the restricted part (campaigners, administrators).
RESTRICTED_PERMISSION = "states.view_stateasks"


@dataclass
class ActionLetters:
    """Letters sent to the state's officials under one action, and the officials' replies to it."""

    title: str
    sent: int
    first_sent: datetime | None
    last_sent: datetime | None
    replies: list[Any] = field(default_factory=list)  # letters.Reply, with position


@dataclass
class RestrictedBrief:
    asks_html: SafeString
    asks_text: str
    asks_updated: datetime | None
    letters: list[ActionLetters]
    # Meetings with the state's officials and the commitments made there (the engagement app's TimelineEntry).
    timeline: list[Any] = field(default_factory=list)


@dataclass
class Brief:
    profile: selectors.StateProfile
    research: dict[str, Any]
    generated: datetime
    sources: list[str]
    restricted: RestrictedBrief | None = None

    @property
    def state(self) -> State:
        return self.profile.state


def can_read_restricted(user: Any) -> bool:
    """Coalition users: campaigners and administrators, and whoever an app's rule counts as one of the coalition
    (engagement's: member organisations' editors)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.has_perm(RESTRICTED_PERMISSION) or sections.in_coalition(user))


def brief_restricted(*, state: State, user: Any) -> RestrictedBrief | None:
    """What only signed-in coalition users see; None for anyone else (the asks in one query, then the apps' parts)."""
    if not can_read_restricted(user):
        return None
    asks = StateAsks.objects.filter(state=state).first()
    text = asks.text if asks else ""
    parts = sections.brief_parts(state, user, restricted=True)
    return RestrictedBrief(
        asks_html=render_markdown(text) if text else SafeString(""),
        asks_text=text,
        asks_updated=asks.updated_at if asks else None,
        letters=parts.get("letters", []),
        # Meetings with its officials and their commitments; letters and replies are listed above already.
        timeline=parts.get("timeline", []),
    )


def _sources(profile: selectors.StateProfile) -> list[str]:
    """Every source the brief's public facts rest on, once each, in the order they appear."""
    seen: dict[str, None] = {}
    texts = [e.source for e in profile.events]
    texts += [f.source for group in profile.fact_groups for f in group.facts]
    if profile.obligations:
        texts += [item.source for item in profile.obligations.items]
    texts += [m.source for m in profile.measures]
    texts += [p.source or p.meeting.source for p in profile.participations]
    for text in texts:
        if text and text.strip():
            seen.setdefault(text.strip(), None)
    return list(seen)


def state_brief(*, iso3: str, user: Any, today: date | None = None) -> Brief:
    """The brief of the state with this ISO3 code (404 for an unknown code)."""
    profile = selectors.state_profile(iso3, today=today)
    return Brief(
        profile=profile,
        research=sections.brief_parts(profile.state, user).get("research", {}),
        generated=timezone.now(),
        sources=_sources(profile),
        restricted=brief_restricted(state=profile.state, user=user),
    )
