from __future__ import annotations

import uuid

from django.db import models
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
        indexes = [models.Index(fields=["status", "created_at"])]

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
