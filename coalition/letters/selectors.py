"""Reads of the letters app shared by pages, the API, commands and other apps."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from coalition.letters.models import Action, ActionCount, Letter, Message, Position, Reply
from coalition.members.models import Supporter
from coalition.members.selectors import ReferralRow, referral_rows
from coalition.states.models import State


def positions_with_holders(queryset: QuerySet[Position] | None = None) -> QuerySet[Position]:
    queryset = Position.objects.all() if queryset is None else queryset
    return queryset.select_related("state", "current_term", "current_term__person")


def actions_live() -> QuerySet[Action]:
    today = timezone.localdate()
    return Action.objects.filter(status=Action.Status.PUBLISHED, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def action_public_get(slug: str) -> Action | None:
    """A published action (live or ended: an ended action's page still shows its results)."""
    return Action.objects.filter(slug=slug, status=Action.Status.PUBLISHED).first()


# --- the submit path's cache ---------------------------------------------------------------------
# A letter POST needs the published action and the officials its rule picks; both change rarely, so they
# are kept in the cache (shared by all web processes with Redis) for a few seconds. Every save or delete
# of an action, its list of officials, a position, a term, a person or a state moves the generation below,
# at once and again when the transaction commits, which makes every cached entry unreachable. Writes that
# send no signal (a queryset update, bulk_update of states) are seen within ACTION_CACHE_SECONDS; with the
# per-process local-memory cache (no REDIS_URL), other processes also see a change within that time.
ACTION_CACHE_SECONDS = 5
_GENERATION_KEY = "letters:submit-cache:generation"
_MISSING = object()


def _cache_generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(_GENERATION_KEY, 0)
    return int(generation)


def action_cache_clear() -> None:
    """Forget every cached action and list of targets, now and once the current transaction commits
    (so a request that read the old rows meanwhile cannot keep them under the new generation)."""

    def bump() -> None:
        cache.set(_GENERATION_KEY, time.time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


def action_public_get_cached(slug: str) -> Action | None:
    """`action_public_get` through the cache: for the letter POST, which reads the rules, not the counts."""
    key = f"letters:submit-cache:{_cache_generation()}:action:{slug}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = action_public_get(slug)
        cache.set(key, found, ACTION_CACHE_SECONDS)
    return found


def action_targets_cached(action: Action, *, state: State | None = None, constituency: str = "") -> list[Position]:
    """`action_targets` through the cache (see above)."""
    choice = hashlib.sha256(f"{state.pk if state else ''}|{constituency}".encode()).hexdigest()[:24]
    key = f"letters:submit-cache:{_cache_generation()}:targets:{action.pk}:{choice}"
    found = cache.get(key)
    if found is None:
        found = action_targets(action, state=state, constituency=constituency)
        cache.set(key, found, ACTION_CACHE_SECONDS)
    return found


def action_rule_positions(action: Action) -> QuerySet[Position]:
    """Every position the action's rule can reach, whoever writes (vacant ones included)."""
    if action.target == Action.Target.FIXED:
        queryset = action.positions.all()
    elif action.target == Action.Target.ROLE_BY_STATUS:
        queryset = Position.objects.filter(role=action.target_role, state__status=action.target_treaty_status)
    else:
        queryset = Position.objects.all()
        if action.target_role:
            queryset = queryset.filter(role=action.target_role)
    return positions_with_holders(queryset)


def action_targets(action: Action, *, state: State | None = None, constituency: str = "") -> list[Position]:
    """The positions one supporter's letter goes to: for the own-state rule, those of their state, and
    where positions have constituencies, only the one they chose (positions without one always)."""
    queryset = action_rule_positions(action)
    if action.target == Action.Target.OWN_STATE:
        if state is None:
            return []
        queryset = queryset.filter(state=state)
        if constituency:
            queryset = queryset.filter(Q(constituency="") | Q(constituency__iexact=constituency))
        else:
            queryset = queryset.filter(constituency="")
    return list(queryset.order_by("state_id", "role", "constituency", "pk"))


def action_states(action: Action) -> list[State]:
    """States a supporter can choose for the own-state rule: those with at least one position to write to."""
    ids = action_rule_positions(action).values("state_id")
    return list(State.objects.filter(iso3__in=ids).order_by("name"))


def action_constituencies(action: Action, state: State) -> list[str]:
    values = (
        action_rule_positions(action)
        .filter(state=state)
        .exclude(constituency="")
        .values_list("constituency", flat=True)
    )
    return sorted(set(values))


@dataclass(frozen=True)
class StateCount:
    iso3: str
    name: str
    confirmed: int
    sent: int


def action_counts_by_state(action: Action, *, limit: int = 10) -> list[StateCount]:
    """Kept per-official counts summed per state: bounded by the number of officials, not of messages."""
    rows = (
        ActionCount.objects.filter(action=action)
        .values("state_id", "state__name", "state__country")
        .annotate(confirmed=Sum("confirmed"), sent=Sum("sent"))
        .order_by("-confirmed", "state__name")[:limit]
    )
    return [
        StateCount(
            iso3=row["state_id"],
            # The name in the reader's language, as on the states' pages.
            name=State(iso3=row["state_id"], name=row["state__name"], country=row["state__country"]).display_name,
            confirmed=row["confirmed"],
            sent=row["sent"],
        )
        for row in rows
    ]


def action_counts_by_position(action: Action) -> QuerySet[ActionCount]:
    return ActionCount.objects.filter(action=action).select_related("position", "state").order_by("-confirmed")


def queued_for_later_days(action: Action, position_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per official: messages the daily cap put on a later day, (this action's, all actions'). One query."""
    rows = (
        Message.objects.filter(
            position_id__in=position_ids, status=Message.Status.PENDING, cap_day__gt=timezone.localdate()
        )
        .values("position_id")
        .annotate(mine=Count("pk", filter=Q(action=action)), every=Count("pk"))
        .order_by()
    )
    return {row["position_id"]: (row["mine"], row["every"]) for row in rows}


def action_public_replies(action: Action, *, limit: int = 20) -> list[Reply]:
    if not action.show_replies:
        return []
    return list(Reply.objects.filter(action=action, public=True).select_related("position", "position__state")[:limit])


def positions_needing_attention() -> QuerySet[Position]:
    """Vacant positions, positions whose holder has no e-mail, unverified ones, or bounced ones (for staff)."""
    stale = timezone.localdate() - timedelta(days=settings.LETTERS_VERIFIED_DAYS)
    return positions_with_holders().filter(
        Q(current_term__isnull=True)
        | Q(current_term__email="")
        | Q(current_term__verified_on__isnull=True)
        | Q(current_term__verified_on__lt=stale)
        | Q(bounce_count__gt=0)
    )


def letters_brought_by(organisation_id: int) -> list[dict[str, Any]]:
    """Per action: letters written and confirmed by supporters an organisation's link brought."""
    rows = (
        Letter.objects.filter(referred_by_id=organisation_id)
        .values("action__slug", "action__title")
        .annotate(
            written=Count("id"),
            confirmed=Count("id", filter=Q(status=Letter.Status.CONFIRMED)),
        )
        .order_by("-confirmed", "action__title")
    )
    return [dict(row) for row in rows]


def referred_letters(organisation_id: int | None) -> list[ReferralRow]:
    """Confirmed letters that came through an organisation's `?ref=` link, per action and month."""
    confirmed = Letter.objects.filter(status=Letter.Status.CONFIRMED)
    return referral_rows(confirmed, organisation_id, per=("action__slug", "action__title"), page="letters:action")


def messages_for_export(action: Action) -> QuerySet[Message]:
    return (
        Message.objects.filter(action=action)
        .select_related("letter", "letter__supporter", "position", "position__state")
        .order_by("id")
    )


def messages_for_official(action: Action, position: Position) -> QuerySet[Message]:
    """The letters staff may print for one official; a scrubbed one (retention, or its writer erased their
    data) has no text left to deliver, and must not go out by hand either."""
    return (
        Message.objects.filter(action=action, position=position, letter__scrubbed_at__isnull=True)
        .exclude(status__in=[Message.Status.UNCONFIRMED, Message.Status.EXPIRED, Message.Status.REJECTED])
        .select_related("letter")
        .order_by("id")
    )


def letters_of_supporter(supporter: Supporter) -> QuerySet[Letter]:
    """A supporter's letters with their messages, oldest first (their data export): two queries."""
    return (
        Letter.objects.filter(supporter=supporter)
        .select_related("action", "state")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.order_by("id")))
        .order_by("created_at", "id")
    )
