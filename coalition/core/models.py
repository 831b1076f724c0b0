from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@coalition>"


class Email(models.Model):
    """One transactional e-mail to one recipient: written in the request's transaction, sent by a task.

    The row is the durable record of what must be sent, so a crash after the request commits loses
    nothing, and `sent_at` is what stops a retried task from sending it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    # Files sent with the message, e.g. an event's calendar file: [{"filename", "mimetype", "content"}] (text).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # Fixed when queued, so a message repeated after a crash carries the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, default=new_message_id)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # A person's erasure and data export find their e-mails by address without reading the table.
            models.Index(Lower("to"), name="core_email_to_lower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class OutboxMessage(models.Model):
    """A message 'sent' while no SMTP server is configured, kept so staff can read it at /staff/outbox/."""

    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"))
    cc = models.TextField(_("cc"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict)
    created_at = models.DateTimeField(_("kept at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return self.subject


class WorkerHeartbeat(models.Model):
    """Proof of life of a task worker; a running task whose worker stopped beating is put back."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledJob(models.Model):
    """When a periodic job (see coalition/core/scheduler.py) was last put in the task queue.

    One row per job, locked while deciding, so several workers never enqueue the same run twice.
    """

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class AppendOnlyError(Exception):
    """The audit trail is append-only: an entry is never changed or deleted."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        # The one update allowed: deleting an account unlinks its entries (SET_NULL); they keep its name.
        if kwargs.keys() <= {"actor", "actor_id"} and all(value is None for value in kwargs.values()):
            return super().update(**kwargs)
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One decision: who made it, when, about what (docs/decisions/0011-audit-trail.md).

    Written by `coalition.core.audit.audit_record` inside the decision's own transaction, so both are kept
    or neither. Append-only: saving an existing entry, updating or deleting raise `AppendOnlyError`, and on
    PostgreSQL a trigger refuses the same below the ORM. Names no supporter, writer or casualty.
    """

    class ActorKind(models.TextChoices):
        USER = "user", _("an account")
        SUBJECT = "subject", _("the person themselves")
        SYSTEM = "system", _("the system (a command or scheduled job)")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_kind = models.CharField(_("acting as"), max_length=10, choices=ActorKind.choices, default=ActorKind.USER)
    # Copied when the entry is written, so it still says who after the account is renamed or deleted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-at", "-id"]
        # Related lookups and the deletion collector go through the guarded queryset too.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")
