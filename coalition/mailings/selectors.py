"""Reads of the mailings app: audiences and their counts, progress, reports, the public archive."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from coalition.mailings.models import (
    AddressEvent,
    Delivery,
    Mailing,
    MailingList,
    MailingVersion,
    Subscription,
    Suppression,
)
from coalition.mailings.segments import segment_q
from coalition.members.models import Supporter


def mailable_supporters() -> QuerySet[Supporter]:
    """Supporters bulk mail may reach at all: confirmed, with an address, not suppressed."""
    return Supporter.objects.filter(status=Supporter.Status.CONFIRMED, email__isnull=False).exclude(
        email__in=Suppression.objects.values("email")
    )


def audience(mailing_list: MailingList, rules: Any = None) -> QuerySet[Supporter]:
    """Who a mailing to this list, narrowed by these segment rules, reaches now (SegmentError if invalid)."""
    on_list = Subscription.objects.filter(mailing_list=mailing_list, left_at__isnull=True)
    queryset = mailable_supporters().filter(pk__in=on_list.values("supporter_id"))
    if rules:
        queryset = queryset.filter(segment_q(rules))
    return queryset


def mailing_audience(mailing: Mailing) -> QuerySet[Supporter]:
    return audience(mailing.mailing_list, mailing.segment.rules if mailing.segment else None)


def segment_count(rules: Any) -> int:
    """Supporters matching the rules, among those bulk mail may reach."""
    return mailable_supporters().filter(segment_q(rules)).count()


def mailing_progress(mailing: Mailing) -> dict[str, int]:
    """Queued, sent, failed, skipped, bounced and unsubscribed, in one query, and the percentage done."""
    counts = Delivery.objects.filter(mailing=mailing).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status=Delivery.Status.QUEUED)),
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        skipped=Count("pk", filter=Q(status=Delivery.Status.SKIPPED)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
    )
    counts["unsubscribed"] = Subscription.objects.filter(left_through=mailing).count()
    done = counts["total"] - counts["queued"]
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 0
    return counts


def mailings_report() -> QuerySet[Mailing]:
    """Every mailing with its outcome counts, for the comparison across mailings (one query)."""
    return (
        Mailing.objects.select_related("mailing_list")
        .annotate(
            n_sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT), distinct=True),
            n_failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED), distinct=True),
            n_bounced=Count("deliveries", filter=Q(deliveries__bounced_at__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def lists_with_counts() -> QuerySet[MailingList]:
    return MailingList.objects.annotate(
        members=Count("subscriptions", filter=Q(subscriptions__left_at__isnull=True))
    ).order_by("name")


def archive() -> QuerySet[Mailing]:
    """Public newsletters that went out, newest first."""
    return (
        Mailing.objects.filter(public=True, status=Mailing.Status.SENT)
        .prefetch_related("versions")
        .order_by("-started_at", "-pk")
    )


def archive_get(slug: str) -> Mailing | None:
    return archive().filter(slug=slug).first()


def version_for(mailing: Mailing, language: str | None = None) -> tuple[str, str, str, str]:
    """(language, subject, preheader, body) in this language where there is a version, else the default.
    Uses the prefetched versions where there are some."""
    language = language or translation.get_language() or mailing.language
    for version in mailing.versions.all():
        if version.language == language:
            return version.language, version.subject, version.preheader, version.body
    return mailing.language, mailing.subject, mailing.preheader, mailing.body


def mailing_versions(mailing: Mailing) -> QuerySet[MailingVersion]:
    return mailing.versions.order_by("language")


def lists_open_to_join() -> QuerySet[MailingList]:
    """Lists a supporter may join themselves: those with consent words to agree to."""
    return MailingList.objects.exclude(consent_text="").order_by("name")


def lists_of(supporter: Supporter) -> QuerySet[Subscription]:
    return Subscription.objects.filter(supporter=supporter, left_at__isnull=True).select_related("mailing_list")


def suppressions() -> QuerySet[Suppression]:
    return Suppression.objects.order_by("-at")


def address_events() -> QuerySet[AddressEvent]:
    return AddressEvent.objects.order_by("-at", "-pk")


def suppression_notes(supporters: list[Supporter]) -> dict[int, str]:
    """For the staff's supporter list: who gets no bulk mail, and why (one query per page)."""
    emails = {supporter.email: supporter.pk for supporter in supporters if supporter.email}
    found = Suppression.objects.filter(email__in=list(emails)).values_list("email", "reason")
    return {emails[email]: _("Bulk mail suppressed: %(reason)s") % {"reason": reason} for email, reason in found}


def suppression_of(email: str | None) -> Suppression | None:
    return Suppression.objects.filter(email=email.lower()).first() if email else None
