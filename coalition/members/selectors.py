"""Reads of the registry, shared by views, the API, commands and other apps (home page, mailings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.core.personal_data import DataSubject, personal_data_modules
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


@dataclass(frozen=True)
class ReferralRow:
    """What one organisation's `?ref=` links brought in one month, for one action or event (or the sign-up)."""

    organisation_id: int
    month: date
    subject: str
    url: str
    count: int


@dataclass(frozen=True)
class ReferralSource:
    """One kind of credit (supporters, letters, event replies). `rows(organisation_id)` reads it per month and
    subject in one query; with None, for every organisation (staff compare them)."""

    label: str | Promise
    rows: Callable[[int | None], list[ReferralRow]]


# Apps that credit referrals (letters, events) register their source here from their AppConfig.ready(), so
# members never imports the apps above it.
REFERRAL_SOURCES: dict[str, ReferralSource] = {}


def register_referral_source(key: str, label: str | Promise, rows: Callable[[int | None], list[ReferralRow]]) -> None:
    REFERRAL_SOURCES[key] = ReferralSource(label=label, rows=rows)


def referral_rows(
    queryset: QuerySet[Any], organisation_id: int | None, *, per: tuple[str, str] | None = None, page: str = ""
) -> list[ReferralRow]:
    """Count credited rows (each with `referred_by` and `created_at`) per organisation and month, newest month
    first; with `per` (the key and title fields of an action, an event), per that subject too, each row linked
    to the subject's `page` (a URL name taking the key)."""
    group = per or ()
    if organisation_id is None:
        queryset = queryset.filter(referred_by__isnull=False)
    else:
        queryset = queryset.filter(referred_by_id=organisation_id)
    found = (
        queryset.annotate(month=TruncMonth("created_at"))
        .values("referred_by_id", "month", *group)
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        ReferralRow(
            organisation_id=row["referred_by_id"],
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            subject=row[per[1]] if per else "",
            url=reverse(page, args=[row[per[0]]]) if per else "",
            count=row["n"],
        )
        for row in found
    ]
    rows.sort(key=lambda row: row.subject)
    rows.sort(key=lambda row: row.month, reverse=True)
    return rows


def _referred_supporters(organisation_id: int | None) -> list[ReferralRow]:
    return referral_rows(Supporter.objects.exclude(status=Supporter.Status.PENDING), organisation_id)


register_referral_source("supporters", _("Supporters who signed up"), _referred_supporters)


@dataclass(frozen=True)
class ReferralCredit:
    label: str | Promise
    total: int
    rows: list[ReferralRow]


def referral_credit(organisation: Organisation) -> list[ReferralCredit]:
    """Everything the organisation's links brought, per kind, with the months and actions/events behind it."""
    credit = []
    for source in REFERRAL_SOURCES.values():
        rows = source.rows(organisation.pk)
        credit.append(ReferralCredit(label=source.label, total=sum(row.count for row in rows), rows=rows))
    return credit


@dataclass(frozen=True)
class ReferralStanding:
    organisation: Organisation
    totals: list[int]


def referral_comparison() -> tuple[list[str | Promise], list[ReferralStanding]]:
    """Staff compare organisations: per organisation, the total of each kind of credit (one query per kind)."""
    labels = [source.label for source in REFERRAL_SOURCES.values()]
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * len(labels))
    for index, source in enumerate(REFERRAL_SOURCES.values()):
        for row in source.rows(None):
            totals[row.organisation_id][index] += row.count
    organisations = Organisation.objects.in_bulk(list(totals))
    standings = [
        ReferralStanding(organisation=organisations[pk], totals=counts)
        for pk, counts in totals.items()
        if pk in organisations
    ]
    standings.sort(key=lambda standing: (-sum(standing.totals), standing.organisation.name))
    return labels, standings


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


def referral_organisation(request: HttpRequest) -> Organisation | None:
    """The member organisation whose `?ref=` link brought this visitor, if any (one query, only when set)."""
    slug = request.COOKIES.get(REFERRAL_COOKIE, "")
    if not slug:
        return None
    return Organisation.objects.filter(slug=slug, status=Organisation.Status.MEMBER).first()


def organisation_editable(request: HttpRequest, organisation: Organisation) -> bool:
    """Whether this visitor edits the organisation: one of its editors, or staff allowed to change any."""
    user = request.user
    if user.has_perm("members.change_organisation"):
        return True
    return organisation.editors.filter(pk=user.pk).exists()


# --- staff -------------------------------------------------------------------------------------


def applications_pending() -> QuerySet[MembershipApplication]:
    return MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).select_related(
        "organisation"
    )


Listed = TypeVar("Listed", bound=Model)


def _matching(queryset: QuerySet[Listed], **exact: str) -> QuerySet[Listed]:
    """The rows whose fields equal each value given; an empty value (no filter chosen) filters nothing."""
    return queryset.filter(**{lookup: value for lookup, value in exact.items() if value})


def organisations_for_staff(
    *, q: str = "", status: str = "", country: str = "", type: str = ""
) -> QuerySet[Organisation]:
    queryset = organisations_with_committee_flag()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(slug__icontains=q))
    return _matching(queryset, status=status, country=country, type=type).order_by("name", "pk")


def supporters_for_staff(
    *, q: str = "", status: str = "", country: str = "", referred_by: str = ""
) -> QuerySet[Supporter]:
    queryset = Supporter.objects.select_related("referred_by")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(email__icontains=q.lower()))
    return _matching(queryset, status=status, country=country, referred_by__slug=referred_by).order_by(
        "-created_at", "-pk"
    )


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
    modules = sorted(personal_data_modules(), key=lambda found: found[0] != "members")
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
    return [template for _label, module in personal_data_modules() if (template := getattr(module, "TEMPLATE", ""))]
