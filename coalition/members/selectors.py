"""Reads of the registry, shared by views, the API, commands and other apps (home page, mailings)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.core.discovery import app_modules
from coalition.core.personal_data import DataSubject
from coalition.members.middleware import REFERRAL_COOKIE
from coalition.members.models import (
    ConsentRecord,
    MembershipApplication,
    Organisation,
    SteeringCommitteeSeat,
    Supporter,
)


def _current_seat_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return (Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": today})) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})
    )


def organisations_with_committee_flag(queryset: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Adds `on_committee`: whether the organisation holds a Steering Committee seat today."""
    queryset = queryset if queryset is not None else Organisation.objects.all()
    current = SteeringCommitteeSeat.objects.filter(_current_seat_q(), organisation=OuterRef("pk"))
    return queryset.annotate(on_committee=Exists(current))


def organisations_public() -> QuerySet[Organisation]:
    """Members only: applicants, suspended and former members are not listed in public."""
    return organisations_with_committee_flag(Organisation.objects.filter(status=Organisation.Status.MEMBER))


def directory_search(
    *, q: str = "", country: str = "", type: str = "", committee: bool = False
) -> QuerySet[Organisation]:
    queryset = organisations_public()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(city__icontains=q))
    if country:
        queryset = queryset.filter(country=country)
    if type:
        queryset = queryset.filter(type=type)
    if committee:
        queryset = queryset.filter(on_committee=True)  # type: ignore[misc]  # annotated above
    return queryset.order_by("name", "pk")


def members_by_country() -> list[tuple[str, int]]:
    """(country code, number of member organisations), most members first: for the map and the filter."""
    rows = (
        Organisation.objects.filter(status=Organisation.Status.MEMBER)
        .exclude(country="")
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
    )
    return [(row["country"], row["n"]) for row in rows]


@dataclass(frozen=True)
class Headline:
    organisations: int
    countries: int


def headline_counts() -> Headline:
    """'N organisations from M countries', computed from the data in one query."""
    totals = Organisation.objects.filter(status=Organisation.Status.MEMBER).aggregate(
        organisations=Count("pk"), countries=Count("country", distinct=True, filter=~Q(country=""))
    )
    return Headline(organisations=totals["organisations"], countries=totals["countries"])


def steering_committee() -> list[Organisation]:
    """The member organisations that hold a Steering Committee seat today."""
    current = SteeringCommitteeSeat.objects.filter(_current_seat_q(), organisation=OuterRef("pk"))
    return list(Organisation.objects.filter(Exists(current), status=Organisation.Status.MEMBER).order_by("name"))


def organisation_public_get(slug: str) -> Organisation | None:
    return organisations_public().filter(slug=slug).prefetch_related("seats").first()


def organisation_by_logo(name: str) -> Organisation | None:
    """The organisation whose logo is stored under `name`; a file no organisation uses is never served."""
    if not name:
        return None
    return Organisation.objects.filter(logo=name).first()


# --- referrals ---------------------------------------------------------------------------------

# label → function counting what an organisation's referral links brought. Apps that credit
# referrals (letters, events) register their counter here from their AppConfig.ready().
REFERRAL_COUNTERS: dict[str, tuple[str | Promise, Callable[[Organisation], int]]] = {}


def register_referral_counter(key: str, label: str | Promise, counter: Callable[[Organisation], int]) -> None:
    REFERRAL_COUNTERS[key] = (label, counter)


def _count_referred_supporters(organisation: Organisation) -> int:
    return Supporter.objects.filter(referred_by=organisation).exclude(status=Supporter.Status.PENDING).count()


register_referral_counter("supporters", _("Supporters who signed up"), _count_referred_supporters)


# Functions giving staff notes on a page of supporters ({supporter pk: note}), one query each whatever the
# page's size; apps register theirs from AppConfig.ready() (mailings: an address that gets no bulk mail).
SUPPORTER_NOTES: dict[str, Callable[[list[Supporter]], dict[int, str]]] = {}


def register_supporter_notes(key: str, notes: Callable[[list[Supporter]], dict[int, str]]) -> None:
    SUPPORTER_NOTES[key] = notes


def supporters_with_notes(supporters: Iterable[Supporter]) -> list[Supporter]:
    """The supporters, each with `staff_notes`: what other apps tell staff about them."""
    listed = list(supporters)
    for supporter in listed:
        supporter.staff_notes = []  # type: ignore[attr-defined]
    by_pk = {supporter.pk: supporter for supporter in listed}
    for notes in SUPPORTER_NOTES.values():
        for pk, note in notes(listed).items():
            by_pk[pk].staff_notes.append(note)  # type: ignore[attr-defined]
    return listed


def referral_counts(organisation: Organisation) -> list[tuple[str | Promise, int]]:
    return [(label, counter(organisation)) for label, counter in REFERRAL_COUNTERS.values()]


def referral_organisation(request: HttpRequest) -> Organisation | None:
    """The member organisation whose `?ref=` link brought this visitor, if any (one query, only when set)."""
    slug = request.COOKIES.get(REFERRAL_COOKIE, "")
    if not slug:
        return None
    return Organisation.objects.filter(slug=slug, status=Organisation.Status.MEMBER).first()


# --- staff -------------------------------------------------------------------------------------


def applications_pending() -> QuerySet[MembershipApplication]:
    return MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).select_related(
        "organisation"
    )


def organisations_for_staff(
    *, q: str = "", status: str = "", country: str = "", type: str = ""
) -> QuerySet[Organisation]:
    queryset = organisations_with_committee_flag()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(slug__icontains=q))
    if status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(country=country)
    if type:
        queryset = queryset.filter(type=type)
    return queryset.order_by("name", "pk")


def supporters_for_staff(
    *, q: str = "", status: str = "", country: str = "", referred_by: str = ""
) -> QuerySet[Supporter]:
    queryset = Supporter.objects.select_related("referred_by")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(email__icontains=q.lower()))
    if status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(country=country)
    if referred_by:
        queryset = queryset.filter(referred_by__slug=referred_by)
    return queryset.order_by("-created_at", "-pk")


def supporter_current_consents(supporter: Supporter) -> dict[str, bool]:
    """Kind → granted, from the latest confirmed record of each kind."""
    current: dict[str, bool] = {}
    records = ConsentRecord.objects.filter(supporter=supporter, confirmed_at__isnull=False).order_by(
        "kind", "-created_at", "-id"
    )
    for record in records:
        current.setdefault(record.kind, record.granted)
    return current


def personal_data_export(subject: DataSubject) -> dict[str, Any]:
    """Everything held on one person, a supporter or a guest, as JSON-ready data (the right of access and
    portability): each app's `personal_data.export` (this app's first: the supporter, their consents and
    sign-ups; then e-mails, event replies, letters), which members does not import."""
    modules = sorted(app_modules("personal_data"), key=lambda found: found[0] != "members")
    data: dict[str, Any] = {}
    for label, module in modules:
        sections = module.export(subject)
        if data.keys() & sections.keys():
            raise ImproperlyConfigured(f"{label}.personal_data exports a section already there: {sorted(sections)}")
        data.update(sections)
    return data


def supporter_data_export(supporter: Supporter) -> dict[str, Any]:
    return personal_data_export(DataSubject(email=supporter.email or "", supporter=supporter))


def supporter_details_export(supporter: Supporter) -> dict[str, Any]:
    """What members holds on a supporter: their details, consents and every sign-up submission."""
    return {
        "name": supporter.name,
        "email": supporter.email,
        "country": str(supporter.country or ""),
        "languages": supporter.languages,
        "interests": supporter.interests,
        "status": supporter.status,
        "language": supporter.language,
        "referred_by": supporter.referred_by.name if supporter.referred_by else None,
        "signed_up_at": supporter.created_at.isoformat(),
        "confirmed_at": supporter.confirmed_at.isoformat() if supporter.confirmed_at else None,
        "consents": [
            {
                "kind": record.kind,
                "granted": record.granted,
                "text": record.text,
                "text_version": record.text_version,
                "language": record.language,
                "form": record.source,
                "given_at": record.created_at.isoformat(),
                "confirmed_at": record.confirmed_at.isoformat() if record.confirmed_at else None,
            }
            for record in supporter.consents.order_by("created_at", "id")
        ],
        # Every submission of the sign-up form with this address, confirmed or not (someone else may have
        # typed it): what each said is applied only when its own link is used.
        "sign_ups": [
            {
                "name": sign_up.name,
                "country": str(sign_up.country or ""),
                "languages": sign_up.languages,
                "interests": sign_up.interests,
                "submitted_at": sign_up.created_at.isoformat(),
                "confirmed_at": sign_up.confirmed_at.isoformat() if sign_up.confirmed_at else None,
            }
            for sign_up in supporter.sign_ups.order_by("created_at", "id")
        ],
    }


def supporter_data_templates() -> list[str]:
    """The partials that show each app's sections of the export on the supporter's "your data" page."""
    return [module.TEMPLATE for _label, module in app_modules("personal_data") if getattr(module, "TEMPLATE", "")]
