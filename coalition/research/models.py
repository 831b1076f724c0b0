"""Field research records (strikes, casualties, contaminated areas, reports), their review and history.

Every record passes draft → submitted → approved (or changes requested / rejected); only approved
records count in public figures. Casualties may carry a name and an exact address: personal data,
listed in `Casualty.PERSONAL_FIELDS`, which no public output ever reads.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, NamedTuple

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coalition.members.models import Organisation
from coalition.states.models import State

# Munition types offered as suggestions; researchers may type any other.
KNOWN_MUNITION_TYPES = [
    "BLU-26/B",
    "BLU-63/B",
    "BLU-97/B",
    "M42/M46 DPICM",
    "M77 (MLRS)",
    "M85",
    "9N210",
    "9N235",
    "AO-1SCh",
    "PTAB-2.5M",
    "ShOAB-0.5",
    "MK118 Rockeye",
    "ZP-39",
]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the submitting organisation's researchers may still edit a record.
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)


class Source(models.Model):
    """Where a record comes from: a field report, a news article, a national authority's database…"""

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class Reviewable(models.Model):
    """What every research record shares: who submitted it and where it is in review."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitting organisation"),
        help_text=_("Empty when the coalition's own staff recorded it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned reviewer"),
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    KIND: ClassVar[str] = ""

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.APPROVED

    def get_workspace_url(self) -> str:
        return reverse("research:record", args=[self.KIND, self.pk])


class PlacedRecord(Reviewable):
    """A record that happened somewhere, some day: the state, the place, the date (or period) and the source."""

    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact (within 100 m)")
        APPROXIMATE = "approximate", _("Approximate (within a few km)")
        ADMIN_AREA = "admin_area", _("Administrative area only")
        COUNTRY = "country", _("Country only")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+", verbose_name=_("state"))
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    admin_area = models.CharField(_("administrative area"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_precision = models.CharField(
        _("precision of the location"), max_length=12, choices=Precision.choices, default=Precision.APPROXIMATE
    )
    date = models.DateField(
        _("date"), help_text=_("The day, or the first day of the period when only a period is known.")
    )
    date_end = models.DateField(_("end of period"), null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    # Decimals of latitude and longitude in every public output (selectors.public_coordinate): None keeps them all.
    PUBLIC_DECIMALS: ClassVar[int | None] = None

    class Meta:
        abstract = True


class Strike(PlacedRecord):
    """A cluster munition strike or incident."""

    class Delivery(models.TextChoices):
        AIR_DROPPED = "air_dropped", _("Air-dropped")
        GROUND_LAUNCHED = "ground_launched", _("Ground-launched")
        UNKNOWN = "unknown", _("Unknown")

    KIND = "strike"
    # Two decimals, about 1 km: where a strike hit points at homes and at the people hurt there.
    PUBLIC_DECIMALS = 2
    munition_type = models.CharField(_("munition type"), max_length=100, blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.UNKNOWN)
    party_responsible = models.CharField(_("party responsible"), max_length=200, blank=True)
    submunitions = models.PositiveIntegerField(_("number of submunitions"), null=True, blank=True)
    failure_observations = models.TextField(_("failure observations"), blank=True)
    external_id = models.CharField(_("identifier in the source"), max_length=100, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("strike")
        verbose_name_plural = _("strikes")
        indexes = [models.Index(fields=["status", "state", "date"])]

    def __str__(self) -> str:
        return f"{self.state_id} {self.date} {self.place_name}".strip()


class Breakdown(NamedTuple):
    """One disaggregation of a casualty count, as the Monitor and the GICHD minimum data requirements report it."""

    name: str
    # HXL attributes after `#affected+killed` / `#affected+injured` (libhxl's default attributes: f, m, children…).
    attributes: tuple[str, ...]
    label: Any
    # The breakdowns whose sum it must be at least (a marginal count holds its cross-classified cells).
    parts: tuple[str, ...] = ()


OUTCOMES = ("killed", "injured")
BREAKDOWNS = [
    Breakdown("female", ("f",), _("female"), ("girls", "women")),
    Breakdown("male", ("m",), _("male"), ("boys", "men")),
    Breakdown("children", ("children",), _("children"), ("girls", "boys")),
    Breakdown("adults", ("adults",), _("adults"), ("women", "men")),
    Breakdown("girls", ("f", "children"), _("girls")),
    Breakdown("boys", ("m", "children"), _("boys")),
    Breakdown("women", ("f", "adults"), _("women")),
    Breakdown("men", ("m", "adults"), _("men")),
    Breakdown("civilians", ("civilians",), _("civilians")),
    Breakdown("military", ("military",), _("military or security forces")),
    Breakdown("deminers", ("deminers",), _("deminers")),
]
BREAKDOWN_NAMES = [b.name for b in BREAKDOWNS]
# Groups of breakdowns that exclude each other: together they never exceed the record's total.
EXCLUSIVE_GROUPS = [
    ("female", "male"),
    ("children", "adults"),
    ("girls", "boys", "women", "men"),
    ("civilians", "military", "deminers"),
]
# Every count column of a casualty record beside its totals: killed_female … injured_deminers.
BREAKDOWN_FIELDS = [f"{outcome}_{name}" for outcome in OUTCOMES for name in BREAKDOWN_NAMES]


def _breakdown_fields(*, big: bool = False) -> dict[str, models.Field[Any, Any]]:
    field = models.PositiveBigIntegerField if big else models.PositiveIntegerField
    labels = {"killed": _("killed"), "injured": _("injured")}
    return {
        f"{outcome}_{b.name}": field(format_lazy("{} ({})", labels[outcome], b.label), default=0)
        for outcome in OUTCOMES
        for b in BREAKDOWNS
    }


def _breakdown_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The database refuses a record whose breakdowns exceed their totals, whatever wrote it."""
    constraints: list[models.BaseConstraint] = []
    for outcome in OUTCOMES:
        for group in EXCLUSIVE_GROUPS:
            total = sum((models.F(f"{outcome}_{name}") for name in group[1:]), models.F(f"{outcome}_{group[0]}"))
            constraints.append(
                models.CheckConstraint(
                    condition=models.Q(**{f"{outcome}__gte": total}),
                    name=f"{prefix}_{outcome}_{group[0]}_within_total",
                )
            )
        for b in BREAKDOWNS:
            if b.parts:
                parts = models.F(f"{outcome}_{b.parts[0]}") + models.F(f"{outcome}_{b.parts[1]}")
                constraints.append(
                    models.CheckConstraint(
                        condition=models.Q(**{f"{outcome}_{b.name}__gte": parts}),
                        name=f"{prefix}_{outcome}_{b.name}_holds_its_parts",
                    )
                )
    return constraints


class Casualty(PlacedRecord):
    """People killed or injured in one incident (or one person: a count of one), with their breakdowns.

    Counts are disaggregated as the Landmine and Cluster Munition Monitor and the GICHD minimum data requirements
    report them: by sex (female, male), by age (children, adults), by both (girls, boys, women, men) and by status
    (civilians, military, deminers), each for killed and for injured. What is not broken down is unknown: the
    total minus the known breakdowns (decision 0602).
    """

    class Phase(models.TextChoices):
        STRIKE = "strike", _("During a strike")
        REMNANT = "remnant", _("From remnants")
        UNKNOWN = "unknown", _("Unknown")

    KIND = "casualty"
    # Two decimals, about 1 km: an exact point can name the person (their house, their field).
    PUBLIC_DECIMALS = 2
    # Personal data: shown only to the submitting organisation's researchers and to reviewers.
    PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("name", "address")

    killed = models.PositiveIntegerField(_("killed"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    locals().update(_breakdown_fields())
    activity = models.CharField(_("activity at the time"), max_length=200, blank=True)
    phase = models.CharField(_("when"), max_length=10, choices=Phase.choices, default=Phase.UNKNOWN)
    strike = models.ForeignKey(
        Strike, on_delete=models.SET_NULL, null=True, blank=True, related_name="casualties", verbose_name=_("strike")
    )
    external_id = models.CharField(_("identifier in the source"), max_length=100, blank=True)
    name = models.CharField(_("name (personal data)"), max_length=200, blank=True)
    address = models.CharField(_("exact address (personal data)"), max_length=300, blank=True)
    # The calendar year the figures count in, kept with the date by the services.
    year = models.PositiveSmallIntegerField(editable=False)
    import_job = models.ForeignKey(
        "ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("casualty record")
        verbose_name_plural = _("casualty records")
        indexes = [
            models.Index(fields=["status", "state", "year"]),
            models.Index(fields=["status", "date"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["source", "external_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(killed__gt=0) | models.Q(injured__gt=0), name="research_casualty_counts_someone"
            ),
            *_breakdown_constraints("research_casualty"),
        ]
        permissions = [
            ("review_record", "Can review research records"),
            ("view_personal_data", "Can see the personal data of casualties"),
            ("import_records", "Can import research datasets"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.date}: {self.killed} killed, {self.injured} injured"

    def breakdown(self, outcome: str) -> dict[str, int]:
        """{breakdown name: count} of `killed` or `injured`."""
        return {name: getattr(self, f"{outcome}_{name}") for name in BREAKDOWN_NAMES}


class ContaminatedArea(PlacedRecord):
    """An area contaminated by cluster munition remnants: a point (the place's coordinates) or a polygon."""

    class HazardStatus(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected")
        CONFIRMED = "confirmed", _("Confirmed")
        CLEARED = "cleared", _("Cleared")

    KIND = "area"
    # [[lon, lat], …] as in GeoJSON; empty when only a point is known.
    polygon = models.JSONField(_("outline"), default=list, blank=True)
    area_m2 = models.PositiveBigIntegerField(_("area in m²"), null=True, blank=True)
    hazard_status = models.CharField(
        _("contamination status"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.SUSPECTED
    )
    external_id = models.CharField(_("identifier in the source"), max_length=100, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contaminated area")
        verbose_name_plural = _("contaminated areas")
        indexes = [models.Index(fields=["status", "state"])]

    def __str__(self) -> str:
        return f"{self.state_id} {self.place_name or self.admin_area}".strip()


class Clearance(models.Model):
    area = models.ForeignKey(ContaminatedArea, on_delete=models.CASCADE, related_name="clearances")
    year = models.PositiveSmallIntegerField(_("year"))
    cleared_m2 = models.PositiveBigIntegerField(_("cleared in m²"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="research_one_clearance_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.cleared_m2} m²"


class Report(Reviewable):
    """A research report with its attachments, linked to the states and records it is about."""

    KIND = "report"
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    states = models.ManyToManyField(State, blank=True, related_name="+", verbose_name=_("states"))
    strikes = models.ManyToManyField(Strike, blank=True, related_name="reports", verbose_name=_("strikes"))
    casualties = models.ManyToManyField(Casualty, blank=True, related_name="reports", verbose_name=_("casualties"))
    areas = models.ManyToManyField(
        ContaminatedArea, blank=True, related_name="reports", verbose_name=_("contaminated areas")
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:report", args=[self.pk])


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="research/attachments/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class RecordChange(models.Model):
    """One change to a record: who, when, what (field → [before, after]) and why. Never edited or deleted."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        ASSIGNED = "assigned", _("Assigned")
        IMPORTED = "imported", _("Imported")

    record_kind = models.CharField(max_length=10)
    record_id = models.BigIntegerField()
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        indexes = [models.Index(fields=["record_kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id}: {self.action}"


class CasualtyTotal(models.Model):
    """Approved casualties pre-aggregated by state and year, with every breakdown summed.

    Written only by `services.casualty_totals_refresh`, so public figures never scan the casualty table.
    """

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    killed = models.PositiveBigIntegerField(default=0)
    injured = models.PositiveBigIntegerField(default=0)
    records = models.PositiveBigIntegerField(default=0)
    locals().update(_breakdown_fields(big=True))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "year"], name="research_one_total_per_state_year")]
        indexes = [models.Index(fields=["year", "state"])]

    def __str__(self) -> str:
        return f"{self.state_id} {self.year}"


class Researcher(models.Model):
    """A user who researches for a member organisation: they see and edit that organisation's records."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("researcher")
        verbose_name_plural = _("researchers")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="research_one_membership")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A casualty import started from the staff pages (or the command), run as a task with its progress."""

    file = models.FileField(upload_to="research/imports/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    dry_run = models.BooleanField(_("check only"), default=True)
    approve = models.BooleanField(_("import as approved"), default=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    # Rows naming a record already kept (by its identifier): those that changed it, and those that were the same.
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first problems found, each {"row", "field", "message"}; the count above has all of them.
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The command process running it ("host:pid"); empty for a job run by the task worker, whose heartbeats
    # tell when it died (its task is then run again).
    runner = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ExportJob(models.Model):
    """A large export built by a task; anyone holding the token's link downloads it once ready."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10)
    format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="research/exports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("research:export-job", args=[self.token])
