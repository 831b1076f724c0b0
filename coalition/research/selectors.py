"""Reads of the research app: public figures (approved records only), workspaces, the review inbox, access rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Floor, Round
from django.utils.translation import gettext_lazy as _

from coalition.accounts.models import User
from coalition.members.models import Organisation
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    BREAKDOWNS,
    OUTCOMES,
    Casualty,
    CasualtyTotal,
    Clearance,
    ContaminatedArea,
    ImportJob,
    PlacedRecord,
    RecordChange,
    Report,
    Reviewable,
    Status,
    Strike,
)
from coalition.states.models import State

KINDS: dict[str, type[Reviewable]] = {
    "casualty": Casualty,
    "strike": Strike,
    "area": ContaminatedArea,
    "report": Report,
}
# Columns public outputs may read from a casualty: everything but the personal fields.
PUBLIC_CASUALTY_FIELDS = [
    f.attname
    for f in Casualty._meta.concrete_fields
    if f.name not in Casualty.PERSONAL_FIELDS
    and f.name not in {"created_by", "assigned_to", "review_comment", "import_job"}
]


@dataclass(frozen=True)
class PublicFilters:
    state: str = ""
    year_from: int | None = None
    year_to: int | None = None

    def casualty_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.state:
            q &= Q(**{f"{prefix}state_id": self.state})
        if self.year_from:
            q &= Q(**{f"{prefix}year__gte": self.year_from})
        if self.year_to:
            q &= Q(**{f"{prefix}year__lte": self.year_to})
        return q

    def dated_q(self) -> Q:
        q = Q(status=Status.APPROVED)
        if self.state:
            q &= Q(state_id=self.state)
        if self.year_from:
            q &= Q(date__year__gte=self.year_from)
        if self.year_to:
            q &= Q(date__year__lte=self.year_to)
        return q


# --- access ------------------------------------------------------------------------------------


def is_reviewer(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("research.review_record"))


def research_organisation_ids(user: Any) -> set[int]:
    """The organisations a user researches for: as a registered researcher or as the organisation's editor."""
    if not user.is_authenticated:
        return set()
    return set(
        Organisation.objects.filter(
            Q(editors=user) | Q(pk__in=user.research_memberships.values("organisation_id"))
        ).values_list("pk", flat=True)
    )


def research_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=research_organisation_ids(user)).order_by("name")


def can_view(user: Any, record: Reviewable, org_ids: set[int] | None = None) -> bool:
    if record.status == Status.APPROVED or is_reviewer(user):
        return True
    org_ids = research_organisation_ids(user) if org_ids is None else org_ids
    return record.organisation_id in org_ids


def can_edit(user: Any, record: Reviewable, org_ids: set[int] | None = None) -> bool:
    if is_reviewer(user):
        return True
    org_ids = research_organisation_ids(user) if org_ids is None else org_ids
    return record.organisation_id in org_ids and record.status in (Status.DRAFT, Status.CHANGES_REQUESTED)


def can_see_personal_data(user: Any, record: Reviewable, org_ids: set[int] | None = None) -> bool:
    """Only the submitting organisation's researchers and staff allowed to see personal data."""
    if user.is_authenticated and user.has_perm("research.view_personal_data"):
        return True
    org_ids = research_organisation_ids(user) if org_ids is None else org_ids
    return record.organisation_id is not None and record.organisation_id in org_ids


def workspace_records(user: Any, kind: str, *, status: str = "") -> QuerySet[Any]:
    """Records of the user's organisations (all statuses), newest first."""
    model = KINDS[kind]
    queryset = model._default_manager.filter(organisation_id__in=research_organisation_ids(user))
    if status:
        queryset = queryset.filter(status=status)
    related = ["organisation"] + (["state"] if kind != "report" else [])
    return queryset.select_related(*related).order_by("-updated_at", "-id")


def review_inbox(
    *,
    kind: str,
    status: str = Status.SUBMITTED,
    state: str = "",
    organisation: int | None = None,
    assigned_to: User | None = None,
    unassigned: bool = False,
) -> QuerySet[Any]:
    model = KINDS[kind]
    queryset = model._default_manager.all()
    if status:
        queryset = queryset.filter(status=status)
    if state and kind != "report":
        queryset = queryset.filter(**{"state_id": state})  # reports have no single state
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if assigned_to is not None:
        queryset = queryset.filter(assigned_to=assigned_to)
    if unassigned:
        queryset = queryset.filter(assigned_to__isnull=True)
    related = ["organisation", "assigned_to"] + (["state"] if kind != "report" else [])
    return queryset.select_related(*related).order_by("submitted_at", "id")


def inbox_counts() -> dict[str, int]:
    return {kind: model._default_manager.filter(status=Status.SUBMITTED).count() for kind, model in KINDS.items()}


def record_history(record: Reviewable) -> list[RecordChange]:
    return list(
        RecordChange.objects.filter(record_kind=record.KIND, record_id=record.pk)
        .select_related("by")
        .order_by("at", "id")
    )


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by", "organisation")[:20]


# --- public coordinates ------------------------------------------------------------------------
# Every public output (the map of /research/, the API, the CSV, HXL and GeoJSON exports) reads coordinates
# through these: casualties and strikes come out with two decimals (about 1 km, PlacedRecord.PUBLIC_DECIMALS),
# whatever precision was recorded. Reviewers and the submitting organisation see the full value in the workspace.


def public_coordinate(model: type[PlacedRecord] | PlacedRecord, value: float | None) -> float | None:
    """A latitude or longitude as the public may see it."""
    decimals = model.PUBLIC_DECIMALS
    if value is None or decimals is None:
        return value
    return round(value, decimals)


def public_point(record: PlacedRecord) -> tuple[float | None, float | None]:
    """(latitude, longitude) of a record as the public may see them."""
    return public_coordinate(record, record.latitude), public_coordinate(record, record.longitude)


def public_coordinate_expression(model: type[PlacedRecord], name: str) -> Any:
    """The same rule in SQL, for aggregates: what they group and average is never finer than the public value."""
    if model.PUBLIC_DECIMALS is None:
        return F(name)
    return Cast(Round(F(name), model.PUBLIC_DECIMALS), output_field=FloatField())


# --- public figures ----------------------------------------------------------------------------


COUNTED = ("killed", "injured", *BREAKDOWN_FIELDS)
# Sums of every count of `CasualtyTotal`, for `.values(...).annotate(**TOTAL_SUMS)`.
TOTAL_SUMS: dict[str, Any] = {name: Sum(name) for name in COUNTED} | {"records": Sum("records")}


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row of sums with None (nothing summed) as 0."""
    return {name: (value if value is not None else 0) for name, value in row.items()}


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a breakdown table: the people of a group killed and injured (the unknown group is what is left)."""

    name: str
    label: Any
    killed: int
    injured: int

    @property
    def total(self) -> int:
        return self.killed + self.injured


# The tables of the public pages: each a group of breakdowns that exclude each other, then what is left (unknown).
BREAKDOWN_TABLES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("sex_and_age", _("By sex and age"), ("men", "women", "boys", "girls")),
    ("sex", _("By sex"), ("female", "male")),
    ("age", _("By age"), ("children", "adults")),
    ("status", _("By status"), ("civilians", "military", "deminers")),
]
LABELS = {b.name: b.label for b in BREAKDOWNS}


def breakdown_tables(counts: dict[str, Any]) -> list[dict[str, Any]]:
    """The breakdown tables of a row of counts (a record, or sums): each group's rows and its unknown rest."""
    tables = []
    for key, title, names in BREAKDOWN_TABLES:
        rows = [
            BreakdownRow(name, LABELS[name], counts.get(f"killed_{name}") or 0, counts.get(f"injured_{name}") or 0)
            for name in names
        ]
        killed = (counts.get("killed") or 0) - sum(row.killed for row in rows)
        injured = (counts.get("injured") or 0) - sum(row.injured for row in rows)
        rows.append(BreakdownRow("unknown", _("unknown"), killed, injured))
        tables.append({"key": key, "title": title, "rows": rows})
    return tables


@dataclass
class Figures:
    killed: int = 0
    injured: int = 0
    records: int = 0
    civilian: int = 0
    status_known: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    by_year: list[dict[str, Any]] = field(default_factory=list)
    by_state: list[dict[str, Any]] = field(default_factory=list)
    strikes: int = 0
    areas: int = 0
    area_m2: int = 0
    cleared_by_year: list[dict[str, Any]] = field(default_factory=list)

    @property
    def casualties(self) -> int:
        return self.killed + self.injured

    @property
    def civilian_percent(self) -> int | None:
        # As the Monitor does: the share among casualties whose status is known.
        return round(100 * self.civilian / self.status_known) if self.status_known else None

    @property
    def breakdowns(self) -> list[dict[str, Any]]:
        return breakdown_tables(self.sums)


def public_figures(filters: PublicFilters, *, top_states: int = 15) -> Figures:
    """Everything /research/ shows, from the pre-aggregated totals: a fixed number of queries at any volume."""
    totals: Any = CasualtyTotal.objects.filter(filters.casualty_q())
    figures = Figures()
    figures.sums = _plain(totals.aggregate(**TOTAL_SUMS))
    figures.killed, figures.injured, figures.records = (figures.sums[n] for n in ("killed", "injured", "records"))
    figures.civilian = figures.sums["killed_civilians"] + figures.sums["injured_civilians"]
    figures.status_known = sum(
        figures.sums[f"{outcome}_{name}"] for outcome in OUTCOMES for name in ("civilians", "military", "deminers")
    )
    figures.by_year = [_plain(row) for row in totals.values("year").annotate(**TOTAL_SUMS).order_by("year")]
    by_state = list(totals.values("state_id").annotate(killed=Sum("killed"), injured=Sum("injured")).order_by())
    by_state.sort(key=lambda row: -((row["killed"] or 0) + (row["injured"] or 0)))
    # Names in the reader's language (State.display_name), not the English reference names.
    names = {
        state.iso3: state.display_name
        for state in State.objects.filter(pk__in=[row["state_id"] for row in by_state[:top_states]]).only(
            "iso3", "name", "country"
        )
    }
    figures.by_state = [{**row, "name": names.get(row["state_id"], row["state_id"])} for row in by_state[:top_states]]
    figures.strikes = Strike.objects.filter(filters.dated_q()).count()
    area_totals = ContaminatedArea.objects.filter(filters.dated_q()).aggregate(n=Count("id"), m2=Sum("area_m2"))
    figures.areas, figures.area_m2 = area_totals["n"] or 0, area_totals["m2"] or 0
    cleared: Any = Clearance.objects.filter(area__in=ContaminatedArea.objects.filter(filters.dated_q()).values("pk"))
    figures.cleared_by_year = list(cleared.values("year").annotate(m2=Sum("cleared_m2")).order_by("year"))
    return figures


def map_clusters(
    model: type[Strike] | type[ContaminatedArea], filters: PublicFilters, *, cell: float
) -> list[dict[str, Any]]:
    """Approved records with coordinates, grouped into cells of `cell` degrees on the server (one row per cell).

    Cells and their mean positions are computed from the public (rounded) coordinates: a cell holding a single
    record must not give its exact place away.
    """
    rows: Any = (
        model._default_manager.filter(filters.dated_q(), latitude__isnull=False, longitude__isnull=False)
        .annotate(
            public_lat=public_coordinate_expression(model, "latitude"),
            public_lon=public_coordinate_expression(model, "longitude"),
        )
        .annotate(cx=Floor(F("public_lon") / cell), cy=Floor(F("public_lat") / cell))
        .values("cx", "cy")
        .annotate(n=Count("id"), lat=Avg("public_lat"), lon=Avg("public_lon"))
        .order_by()
    )
    return list(rows)


def area_outlines(filters: PublicFilters, *, limit: int = 200) -> list[list[list[float]]]:
    """Outlines of approved contaminated areas, when few enough to draw one by one."""
    rows = (
        ContaminatedArea.objects.filter(filters.dated_q())
        .exclude(polygon=[])
        .values_list("polygon", flat=True)[: limit + 1]
    )
    outlines = list(rows)
    return outlines if len(outlines) <= limit else []


def casualties_public(filters: PublicFilters, *, date_from: Any = None, date_to: Any = None) -> QuerySet[Casualty]:
    """Approved casualty records without any personal or internal column, oldest first."""
    queryset = Casualty.objects.filter(status=Status.APPROVED).filter(filters.casualty_q())
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset.only(*PUBLIC_CASUALTY_FIELDS).order_by("date", "id")


def casualty_summary(
    *, state: str = "", year_from: int | None = None, year_to: int | None = None
) -> list[dict[str, Any]]:
    """Totals of approved casualties and every breakdown by state and year, from the pre-aggregated table."""
    filters = PublicFilters(state=state, year_from=year_from, year_to=year_to)
    rows: Any = (
        CasualtyTotal.objects.filter(filters.casualty_q())
        .values("state_id", "year", "records", *COUNTED)
        .order_by("state_id", "year")
    )
    return list(rows)


def casualties_by_year(state: str) -> list[dict[str, Any]]:
    """Approved casualties of one state (ISO3) by year, oldest first, in one query: each row has `year`, `killed`,
    `injured`, `records`, every breakdown (`killed_female` … `injured_deminers`, see `models.BREAKDOWN_FIELDS`) and
    `breakdowns`, the tables the public pages show (`breakdown_tables`: by sex and age, sex, age and status, each
    with its unknown rest)."""
    rows = CasualtyTotal.objects.filter(state_id=state).values("year", "records", *COUNTED).order_by("year")
    return [{**row, "breakdowns": breakdown_tables(row)} for row in rows]


def state_summary(iso3: str) -> dict[str, Any]:
    """The research figures a state's profile shows (approved records only): three queries."""
    filters = PublicFilters(state=iso3)
    sums = _plain(CasualtyTotal.objects.filter(state_id=iso3).aggregate(**TOTAL_SUMS))
    by_year = casualties_by_year(iso3)
    strikes = Strike.objects.filter(filters.dated_q()).count()
    return {
        "iso3": iso3,
        "killed": sums["killed"],
        "injured": sums["injured"],
        "breakdowns": breakdown_tables(sums),
        "by_year": by_year,
        "strikes": strikes,
    }


def public_reports(filters: PublicFilters | None = None) -> QuerySet[Report]:
    queryset = Report.objects.filter(status=Status.APPROVED).select_related("organisation")
    if filters and filters.state:
        queryset = queryset.filter(states=filters.state)
    return queryset.order_by("-published_on", "-id")


def states_with_research() -> list[tuple[str, str]]:
    """(iso3, name) of states that have approved casualty figures, for the public filter."""
    ids = CasualtyTotal.objects.values("state_id").distinct()
    states = State.objects.filter(pk__in=ids).only("iso3", "name", "country")
    return sorted(((state.iso3, state.display_name) for state in states), key=lambda pair: pair[1])


def display_fields(record: Reviewable, *, personal: bool) -> list[tuple[str, Any]]:
    """(label, value) of a record's fields on its workspace page; personal data only when `personal`."""
    hidden = {"id", "status", "created_by", "assigned_to", "review_comment", "import_job", "polygon"}
    hidden |= set() if personal else set(getattr(record, "PERSONAL_FIELDS", ()))
    rows = []
    for column in record._meta.concrete_fields:
        if column.name in hidden or column.name.endswith("_at"):
            continue
        value = getattr(record, f"get_{column.name}_display")() if column.choices else getattr(record, column.name)
        rows.append((str(column.verbose_name), value))
    return rows
