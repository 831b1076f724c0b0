"""The coalition registry: member organisations, their editors, applications to join, and supporters."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from coalition.members.storage import LOGO_DIR, logo_storage

# Slugs that would shadow the fixed pages under /members/ (join, staff tools, sign-up…).
RESERVED_SLUGS = frozenset({"join", "staff", "sign-up", "my-data", "edit", "map", "new", "api", "logos"})


class Organisation(models.Model):
    """A member organisation (or one applying to be). Only members appear in public."""

    class Type(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        FAITH_BASED = "faith", _("Faith-based group")
        PROFESSIONAL = "professional", _("Professional organisation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        MEMBER = "member", _("Member")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    class DatePrecision(models.TextChoices):
        # Sources often give only a month ("November 2003"); the day is not invented, only not shown.
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    name = models.CharField(_("name"), max_length=200)
    # The slug is also the organisation's referral code: /any/page/?ref=<slug>.
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.NGO)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Served by the members app's logo view (storage.LogoStorage), never from the whole MEDIA_ROOT.
    logo = models.ImageField(_("logo"), upload_to=LOGO_DIR, storage=logo_storage, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Languages the organisation works in.")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    joined_on_precision = models.CharField(
        _("precision of the joining date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    founding_member = models.BooleanField(_("founding member"), default=False)
    contact_email = models.EmailField(
        _("public contact address"), blank=True, help_text=_("Shown on the public page of the organisation.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLICANT)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("editors"), related_name="edited_organisations", blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["status", "country"]), models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.MEMBER

    @property
    def joined_display(self) -> str:
        """The joining date as precisely as it is known."""
        from django.utils.formats import date_format

        if self.joined_on is None:
            return ""
        if self.joined_on_precision == self.DatePrecision.YEAR:
            return str(self.joined_on.year)
        if self.joined_on_precision == self.DatePrecision.MONTH:
            return date_format(self.joined_on, "YEAR_MONTH_FORMAT")
        return date_format(self.joined_on, "DATE_FORMAT")


class SteeringCommitteeSeat(models.Model):
    """A term on the Steering Committee; open-ended while `ended_on` is empty. Dates may be unknown."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="seats"
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "started_on"]
        verbose_name = _("Steering Committee seat")
        verbose_name_plural = _("Steering Committee seats")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.started_on or '?'} – {self.ended_on or ''})"

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.started_on is None or self.started_on <= today) and (
            self.ended_on is None or self.ended_on >= today
        )


class OrganisationStatusChange(models.Model):
    """One change of an organisation's status: the history staff read, never edited."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Organisation.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Organisation.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.from_status or '—'} → {self.to_status}"


class MembershipApplication(models.Model):
    """An organisation's request to join, reviewed by staff. One pending application per organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="applications"
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    motivation = models.TextField(_("why the organisation wants to join"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Set when the same organisation applies again, or is already on record: staff should look twice.
    flag = models.CharField(_("flag"), max_length=200, blank=True)
    times_submitted = models.PositiveIntegerField(_("times submitted"), default=1)
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(status="pending"), name="members_one_pending_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"

    def is_for_existing_organisation(self) -> bool:
        """Whether the organisation was on record before this application: approving it would hand an
        existing organisation (a member, one with editors, or one that applied before) to this contact."""
        organisation = self.organisation
        return (
            organisation.status != Organisation.Status.APPLICANT
            or organisation.editors.exists()
            or organisation.applications.filter(pk__lt=self.pk).exists()
        )


class Interest(models.TextChoices):
    TREATY = "treaty", _("The international treaty process")
    NATIONAL = "national", _("National measures in my country")
    AWARENESS = "awareness", _("Public awareness")
    EVENTS = "events", _("Events near me")
    RESEARCH = "research", _("Field research")


class ConsentKind(models.TextChoices):
    NEWSLETTER = "newsletter", _("Newsletter")
    ACTION_ALERTS = "action_alerts", _("Action alerts")
    EVENT_INVITATIONS = "event_invitations", _("Event invitations")


class Supporter(models.Model):
    """An individual who signed up. Personal data is erased on request; the row stays for the counts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        ERASED = "erased", _("Erased")

    name = models.CharField(_("name"), max_length=200, blank=True)
    # Stored in lower case, so the same address in any case is one supporter; empty (NULL) once erased.
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    country = CountryField(_("country"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(_("language of the sign-up"), max_length=10, blank=True)
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_supporters",
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.name or self.email or f"#{self.pk}"


class SignUp(models.Model):
    """One submission of the sign-up form, kept apart from the supporter until its own link is used.

    Anyone can type someone else's address: what a submission says (name, country, consents…) changes the
    supporter only when the link sent for that very submission is used (supporters.supporter_confirm).
    """

    supporter = models.ForeignKey(
        Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="sign_ups"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    language = models.CharField(_("language of the sign-up"), max_length=10, blank=True)
    referred_by = models.ForeignKey(
        Organisation, verbose_name=_("referred by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.supporter} ({self.created_at:%Y-%m-%d})"


class ConsentRecord(models.Model):
    """What a supporter agreed to (or declined), when, on which form, and the exact text they saw.

    Records are appended, never edited: a supporter's consent to a kind is their latest confirmed
    record of that kind. Records made by a sign-up take effect when the e-mail is confirmed.
    """

    supporter = models.ForeignKey(
        Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="consents"
    )
    # The submission that gave it; confirming that submission (and only it) confirms the record.
    sign_up = models.ForeignKey(
        SignUp, verbose_name=_("sign-up"), on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ConsentKind.choices)
    granted = models.BooleanField(_("granted"))
    text = models.TextField(_("text shown"))
    text_version = models.CharField(_("text version"), max_length=30)
    language = models.CharField(_("language"), max_length=10, blank=True)
    source = models.CharField(_("form"), max_length=100)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["supporter", "kind", "-created_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.kind} {'✓' if self.granted else '✗'} ({self.text_version})"
