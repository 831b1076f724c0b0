"""Casualty records and their breakdowns (by sex, age and status), and the totals public figures read.

Casualties may carry a name and an exact address: personal data, listed in `Casualty.PERSONAL_FIELDS`, which no
public output ever reads.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coalition.research.models.places import PlacedRecord, Strike
from coalition.states.models import State


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
