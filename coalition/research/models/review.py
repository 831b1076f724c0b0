"""What every research record shares: its review (draft → submitted → approved, or sent back or rejected), its
history of changes, and who researches for which organisation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalition.members.models import Organisation


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the submitting organisation's researchers may still edit a record.
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)


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
