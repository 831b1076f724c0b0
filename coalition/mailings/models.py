"""Supporter communications: lists with consent, saved segments, mailings and their deliveries, bounces.

A mailing's recipients are computed when it starts sending (`Delivery` rows, one per supporter, each with
its Message-ID fixed before the first attempt); each delivery is recorded as sent right after the mail server
accepted it, so a worker that dies repeats at most the message in flight (docs/decisions/0801-mailings.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.members.models import ConsentKind, ConsentRecord, Supporter


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@mailings.coalition>"


class MailingList(models.Model):
    """A list supporters join and leave (newsletter, action alerts…), each time with a consent record."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    consent_kind = models.CharField(_("consent it needs"), max_length=30, choices=ConsentKind.choices)
    # The words a supporter agrees to when joining; blank: nobody can be added (no consent to record).
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=30, default="1")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A supporter on a list: active from `joined_at` until `left_at`; each change has its consent record."""

    supporter = models.ForeignKey(
        Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    consent = models.ForeignKey(
        # RESTRICT: a consent record is never deleted alone, but goes with its supporter (and this row).
        ConsentRecord,
        verbose_name=_("consent record"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    # The mailing whose unsubscribe link was used, for its report.
    left_through = models.ForeignKey(
        "Mailing", verbose_name=_("left through"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "mailing_list"], name="mailings_one_subscription_per_list")
        ]
        indexes = [models.Index(fields=["mailing_list", "left_at"])]

    def __str__(self) -> str:
        return f"#{self.supporter_id} on {self.mailing_list_id}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class Segment(models.Model):
    """A saved rule over supporters (coalition/mailings/segments.py), computed again each time it is used."""

    name = models.CharField(_("name"), max_length=200)
    rules = models.JSONField(_("rules"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return self.name


class Mailing(models.Model):
    """One mass e-mail to a list (narrowed by a segment), in the default language and its versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("internal name"), max_length=200)
    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.PROTECT, related_name="mailings"
    )
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, null=True, blank=True, related_name="mailings"
    )
    language = models.CharField(_("default language"), max_length=10, default="en")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    preheader = models.CharField(_("preheader"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    public = models.BooleanField(_("show in the public archive"), default=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients_at_approval = models.PositiveIntegerField(_("recipients when approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started sending at"), null=True, blank=True)
    # When a batch last ran: the scheduler's safety net starts another when it stopped for too long.
    last_batch_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        permissions = [("approve_mailing", _("Can approve a mailing prepared by someone else"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mailings:staff-detail", args=[self.pk])


class MailingVersion(models.Model):
    """The mailing in another language; recipients whose language has none get the default."""

    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(_("preheader"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"))

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "language"], name="mailings_one_version_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} ({self.language})"


class Delivery(models.Model):
    """One mailing to one supporter. Written when sending starts, with its Message-ID fixed; `sent_at` is what
    stops a retried or resumed batch from sending it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (unsubscribed, erased or suppressed)")

    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="deliveries")
    supporter = models.ForeignKey(Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, default=new_message_id)
    # SHA-256 of the opaque token in this copy's unsubscribe links (render.unsubscribe_token): the token itself
    # is in the recipient's mailbox only.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Which batch took it (with the lease), so two workers never send the same delivery at once.
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    send_after = models.DateTimeField(_("not before"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["mailing", "supporter"], name="mailings_once_per_supporter")]
        indexes = [models.Index(fields=["mailing", "status"])]

    def __str__(self) -> str:
        return f"{self.mailing_id} → #{self.supporter_id} ({self.status})"


class AddressEvent(models.Model):
    """A bounce or complaint about one address (from the bounce mailbox or a provider's webhook)."""

    class Kind(models.TextChoices):
        HARD = "hard", _("Hard bounce")
        SOFT = "soft", _("Soft bounce")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")

    email = models.EmailField(_("address"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=50, blank=True)
    # One event per (message, address, kind): reading the same mailbox twice records nothing twice.
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("bounce or complaint")
        verbose_name_plural = _("bounces and complaints")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class Suppression(models.Model):
    """An address that gets no bulk mail: a hard bounce, repeated soft bounces, or a complaint."""

    email = models.EmailField(_("address"), unique=True)
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.reason
