"""Writes of the mailings app about who gets mail: lists and consent, segments, unsubscribing, and the one
refusal of the app (`MailingError`).

A mailing from draft to scheduled is in `approval.py`, its sending in `delivery.py`, bounces and complaints in
`bounces.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.lib.refusals import Refused
from coalition.mailings import render
from coalition.mailings.models import Delivery, Mailing, MailingList, Segment, Subscription
from coalition.mailings.segments import segment_q
from coalition.members.models import ConsentRecord, Supporter

if TYPE_CHECKING:
    from django.utils.functional import Promise


class MailingError(Refused):
    """A mailing that cannot go (or a change that cannot be made): `messages` say why, nothing was changed."""

    def __init__(self, messages: Iterable[str | Promise]) -> None:
        super().__init__(*messages)


# ---- Lists and consent ------------------------------------------------------------------------------------


def list_join(*, supporter: Supporter, mailing_list: MailingList, source: str, language: str = "") -> Subscription:
    """Put a supporter on a list with a consent record of the list's words; refused without them."""
    if not mailing_list.consent_text.strip():
        raise MailingError([_("This list has no consent text: nobody can be added to it until it has one.")])
    if supporter.status != Supporter.Status.CONFIRMED or not supporter.email:
        raise MailingError([_("Only a supporter who confirmed their address can join a list.")])
    now = timezone.now()
    with transaction.atomic():
        consent = ConsentRecord.objects.create(
            supporter=supporter,
            kind=mailing_list.consent_kind,
            granted=True,
            text=mailing_list.consent_text,
            text_version=f"{mailing_list.slug}:{mailing_list.consent_version}",
            language=language,
            source=f"mailings:{source}"[:100],
            created_at=now,
            confirmed_at=now,
        )
        subscription, created = Subscription.objects.get_or_create(
            supporter=supporter, mailing_list=mailing_list, defaults={"consent": consent, "joined_at": now}
        )
        if not created:
            subscription.consent, subscription.joined_at, subscription.left_at = consent, now, None
            subscription.left_through = None
            subscription.save()
    return subscription


def list_leave(*, supporter: Supporter, mailing_list: MailingList, source: str, through: Mailing | None = None) -> bool:
    """Take a supporter off a list, with a consent record saying so; False when they were not on it."""
    now = timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(supporter=supporter, mailing_list=mailing_list, left_at__isnull=True)
            .first()
        )
        if subscription is None:
            return False
        ConsentRecord.objects.create(
            supporter=supporter,
            kind=mailing_list.consent_kind,
            granted=False,
            text=mailing_list.consent_text or mailing_list.name,
            text_version=f"{mailing_list.slug}:{mailing_list.consent_version}",
            source=f"mailings:{source}"[:100],
            created_at=now,
            confirmed_at=now,
        )
        subscription.left_at, subscription.left_through = now, through
        subscription.save(update_fields=["left_at", "left_through"])
    return True


def free_slug(model: type[MailingList] | type[Mailing], name: str, *, length: int, fallback: str) -> str:
    """A slug of `name` no row of `model` has yet: `name`, then `name-2`, `name-3`…"""
    base = slugify(name)[:length] or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def mailing_list_create(*, name: str, consent_kind: str, consent_text: str, description: str = "") -> MailingList:
    with transaction.atomic():
        slug = free_slug(MailingList, name, length=70, fallback="list")
        return MailingList.objects.create(
            name=name, slug=slug, consent_kind=consent_kind, consent_text=consent_text, description=description
        )


# ---- Segments ---------------------------------------------------------------------------------------------


def segment_save(*, name: str, rules: Any, by: User, segment: Segment | None = None) -> Segment:
    """Save a segment's rules once they compute; SegmentError says what is wrong and nothing is saved."""
    segment_q(rules)
    with transaction.atomic():
        if segment is None:
            return Segment.objects.create(name=name, rules=rules, created_by=by)
        segment.name, segment.rules = name, rules
        segment.save(update_fields=["name", "rules"])
        return segment


# ---- Unsubscribe ------------------------------------------------------------------------------------------


def delivery_from_token(token: str) -> Delivery | None:
    if not token or len(token) > 100:
        return None
    return (
        Delivery.objects.select_related("mailing", "mailing__mailing_list", "supporter")
        .filter(token_hash=render.token_hash(token), supporter__email__isnull=False)
        .first()
    )


def unsubscribe(*, delivery: Delivery, source: str = "unsubscribe-link") -> bool:
    """One-click unsubscribe from the list the mailing went to (RFC 8058, or a mail to the List-Unsubscribe
    mailto address); no login, no confirmation."""
    return list_leave(
        supporter=delivery.supporter,
        mailing_list=delivery.mailing.mailing_list,
        source=source,
        through=delivery.mailing,
    )


def subscriptions_set(*, supporter: Supporter, wanted: set[int], language: str = "") -> None:
    """The supporter's own choice of lists, from their manage page: joins and leaves with consent records."""
    with transaction.atomic():
        current = set(
            Subscription.objects.filter(supporter=supporter, left_at__isnull=True).values_list(
                "mailing_list_id", flat=True
            )
        )
        for mailing_list in MailingList.objects.filter(pk__in=current | wanted):
            if mailing_list.pk in wanted and mailing_list.pk not in current and mailing_list.consent_text.strip():
                list_join(supporter=supporter, mailing_list=mailing_list, source="manage-page", language=language)
            elif mailing_list.pk in current and mailing_list.pk not in wanted:
                list_leave(supporter=supporter, mailing_list=mailing_list, source="manage-page")


def public_text(text: str) -> str:
    return render.public_text(text)
