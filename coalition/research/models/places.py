"""Records that happened somewhere: strikes and contaminated areas (with their clearances), and the sources
every placed record names."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.research.models.review import Reviewable
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
