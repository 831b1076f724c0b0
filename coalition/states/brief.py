"""The country brief: everything the coalition holds on one state, for one reader (reads only).

`state_brief(iso3=, user=)` gathers the public part (treaty status and history, obligations, facts and measures,
research figures, meetings attended and statements) and, through `brief_restricted(state=, user=)`, the part only
signed-in coalition users see (the campaign's asks, letters sent to the state's officials and their replies,
meetings with them and the commitments made). Everything restricted is assembled in `brief_restricted` alone,
so the public brief cannot pick any of it up. A fixed number of queries whatever the volume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.safestring import SafeString

from coalition.lib.markdown import render_markdown
from coalition.states import selectors
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
    # Meetings with the state's officials and the commitments made there (engagement.selectors.TimelineEntry).
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
    """Coalition users: campaigners and administrators, and member organisations' editors (the engagement
    app's rule for who belongs to the coalition)."""
    from coalition.engagement.selectors import engagement_access

    if user is None or not user.is_authenticated:
        return False
    return bool(user.has_perm(RESTRICTED_PERMISSION) or engagement_access(user).allowed)


def _letters(state: State) -> list[ActionLetters]:
    """Per action: messages sent to the state's officials (two queries), and the replies logged."""
    from coalition.letters.models import Message, Reply

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


def brief_restricted(*, state: State, user: Any) -> RestrictedBrief | None:
    """What only signed-in coalition users see; None for anyone else (three queries)."""
    from coalition.engagement import selectors as engagement_selectors

    if not can_read_restricted(user):
        return None
    asks = StateAsks.objects.filter(state=state).first()
    text = asks.text if asks else ""
    return RestrictedBrief(
        asks_html=render_markdown(text) if text else SafeString(""),
        asks_text=text,
        asks_updated=asks.updated_at if asks else None,
        letters=_letters(state),
        # Meetings with its officials and their commitments; letters and replies are listed above already.
        timeline=engagement_selectors.state_timeline(state=state, user=user, with_letters=False),
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
    from coalition.research import selectors as research_selectors

    profile = selectors.state_profile(iso3, today=today)
    return Brief(
        profile=profile,
        # The one research read: casualties by year, strikes (the research app owns its breakdowns).
        research=research_selectors.state_summary(profile.state.iso3),
        generated=timezone.now(),
        sources=_sources(profile),
        restricted=brief_restricted(state=profile.state, user=user),
    )
