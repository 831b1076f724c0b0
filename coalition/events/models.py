"""Events run by member organisations: the event, its partners, replies (RSVPs), and the report after it."""

from __future__ import annotations

import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from coalition.lib.versions import LanguageVersion
from coalition.members.models import Organisation


@cache
def timezone_names() -> list[str]:
    """Every IANA zone name (e.g. Europe/Oslo), sorted; the tzdata package ships them."""
    return sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


@dataclass(frozen=True)
class EventVersion(LanguageVersion):
    """An event's words in one language (the original, or a version)."""

    title: str
    description: str


class Event(models.Model):
    """A public meeting, debate or exhibition organised by a member organisation.

    Times are stored in UTC with the IANA zone of the place, so the page, the e-mails and the
    iCalendar feed all show the local time of the event, daylight-saving rules included.
    `places_taken` is a count kept by the RSVP services under a row lock (never typed), so lists
    and the API show free places without counting replies.
    """

    class Kind(models.TextChoices):
        PUBLIC_MEETING = "public_meeting", _("Public meeting")
        DEBATE = "debate", _("Debate")
        EXHIBITION = "exhibition", _("Exhibition")
        SCREENING = "screening", _("Screening")
        VIGIL = "vigil", _("Vigil")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class AddressVisibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        ATTENDEES = "attendees", _("Only people with a confirmed place")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC_MEETING)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, *italic*, lists and links.")
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="events"
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), through="EventPartner", related_name="partner_events", blank=True
    )
    # The title and description in other languages than the event's own (`language`), decision 0505.
    translations = models.JSONField(_("versions in other languages"), default=dict, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("e.g. City Library, Room 2"))
    address = models.CharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    online_url = models.URLField(_("online link"), blank=True, help_text=_("For online or hybrid events."))
    address_visibility = models.CharField(
        _("exact address shown to"),
        max_length=10,
        choices=AddressVisibility.choices,
        default=AddressVisibility.PUBLIC,
        help_text=_("The city and country are always public."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(_("language"), max_length=10, choices=global_settings.LANGUAGES, default="en")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places, guests included. Empty: no limit.")
    )
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    accessibility = models.TextField(
        _("accessibility"), blank=True, help_text=_("Step-free access, hearing loop, sign language, quiet room…")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    moderation_note = models.TextField(_("note from the reviewers"), blank=True)
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True)
    # iCalendar SEQUENCE: raised by the services each time the time, place or format changes or the event is
    # cancelled, so calendars that hold the event (same UID) take the new version over their copy.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=django_timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "country", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="events_ends_after_start"
            )
        ]
        permissions = [("moderate_event", _("Can publish events or send them back"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both the latitude and the longitude, or neither.")})
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("The latitude is between -90 and 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _("The longitude is between -180 and 180.")})

    # --- time, in the event's own zone ---

    def version(self, language: str | None) -> EventVersion:
        """The title and description a visitor reading `language` gets: that language's version, else the original."""
        wanted = (language or "").split("-")[0]
        found = self.translations.get(wanted) if wanted != self.language else None
        if not found or not found.get("title"):
            return EventVersion(self.language, wanted or self.language, self.title, self.description)
        return EventVersion(wanted, wanted, str(found["title"]), str(found.get("description") or ""))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def starts_local(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def ends_local(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= django_timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= django_timezone.now()

    # --- places ---

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.places_taken)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.places_taken >= self.capacity

    @property
    def accepts_rsvps(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.has_started

    @property
    def address_is_public(self) -> bool:
        return self.address_visibility == self.AddressVisibility.PUBLIC

    @property
    def country_name(self) -> str:
        return str(countries.name(str(self.country))) if self.country else ""

    @property
    def public_place(self) -> str:
        """What anyone may see of where: the venue and street only when the address is public."""
        parts = [self.venue, self.address] if self.address_is_public else []
        parts += [self.city, self.country_name]
        return ", ".join(part for part in parts if part)

    @property
    def full_place(self) -> str:
        parts = [self.venue, self.address, self.city, self.country_name]
        return ", ".join(part for part in parts if part)


class EventPartner(models.Model):
    """Another member organisation that co-hosts the event or promotes it to its own supporters."""

    class Role(models.TextChoices):
        CO_HOST = "co_host", _("Co-host")
        PROMOTER = "promoter", _("Promoter")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="event_partnerships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CO_HOST)

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="events_one_partnership")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role} {self.event_id}"


RSVP_TOKEN_MAX_LENGTH = 64


def new_rsvp_token() -> str:
    """The secret of a reply's manage link: random, so the link says nothing about who replied."""
    return secrets.token_urlsafe(32)


class RSVP(models.Model):
    """One person's reply to an event, for themselves and their guests.

    `reminder_sent_at` is the record that makes reminders go out once: it is set in the same
    transaction that queues the reminder e-mail, by a conditional update that only one worker wins.
    `token` is the secret of the link in the reply's e-mails
    (docs/decisions/0401-events-opaque-links-and-photo-types.md).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="rsvps")
    name = models.CharField(_("name"), max_length=200)
    # Stored in lower case: one active reply per address and event. Blank once the person erased their data.
    email = models.EmailField(_("e-mail address"))
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_rsvps",
    )
    created_at = models.DateTimeField(_("replied at"), default=django_timezone.now)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder queued at"), null=True, blank=True)
    # Whoever holds it may see and cancel the reply; a new one is drawn when the person erases their data.
    token = models.CharField(
        _("link secret"), max_length=RSVP_TOKEN_MAX_LENGTH, unique=True, default=new_rsvp_token, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["event", "email"]),
        ]
        constraints = [
            # Erased replies share the blank address; those to past events stay confirmed, for the counts.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled") & ~models.Q(email=""),
                name="events_one_active_rsvp_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.event_id} ({self.status})"

    @property
    def places(self) -> int:
        return 1 + self.guests


def _photo_path(instance: ReportPhoto, filename: str) -> str:
    """Where a new photo is stored: its name ends as its content is, whatever it was uploaded as (photos.py)."""
    from coalition.events.photos import NOT_A_PHOTO, photo_extension, photo_name

    extension = photo_extension(instance.image)
    if extension is None:  # the form and the service refuse such a file first
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo")
    return f"events/reports/{instance.report.event_id}/{photo_name(filename, extension)}"


class EventReport(models.Model):
    """What happened, written by the organisers after the event and shown on its page."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="report")
    attendance = models.PositiveIntegerField(_("people who came"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown: what was said, what comes next."))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")

    def __str__(self) -> str:
        return f"Report on {self.event_id}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(EventReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""

    def get_absolute_url(self) -> str:
        return reverse("events:photo", args=[self.report.event_id, self.pk])
