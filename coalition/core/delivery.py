"""Delivering queued e-mail (the `deliver_email` task), and emptying the stored bodies once they are old (the
daily `purge_email_bodies`). Mail is queued by `coalition.core.services.email_queue`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from coalition.core.models import Email, OutboxMessage
from coalition.core.secret_links import secret_links_redact

logger = logging.getLogger(__name__)

# Delays between delivery attempts of one e-mail; after the last one it is marked failed.
EMAIL_RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


@task()
def deliver_email(email_id: int) -> str:
    return email_deliver(email_id=email_id)


@task()
def purge_email_bodies() -> str:
    """Daily: e-mail bodies older than EMAIL_BODY_RETENTION_DAYS are emptied; counts and outcomes stay."""
    return f"{emails_purge_bodies()} e-mail bodies emptied"


def email_deliver(*, email_id: int) -> str:
    """Hand one queued e-mail to the mail backend, at most once once it is recorded as sent."""
    email = Email.objects.filter(pk=email_id).first()
    if email is None:
        return "missing"
    if email.status == Email.Status.SENT:
        return "already sent"
    if not email.to:
        return "the recipient's address was erased"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments or []:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype") or "text/plain")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001  any transport failure is retried, then recorded
        attempts = email.attempts + 1
        failed = attempts > len(EMAIL_RETRY_DELAYS)
        Email.objects.filter(pk=email.pk).update(
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            status=Email.Status.FAILED if failed else Email.Status.QUEUED,
        )
        if failed:
            Email.objects.filter(pk=email.pk).update(**_bodies_without_secret_links(email))
            logger.error("E-mail %s failed after %s attempts: %s", email.pk, attempts, exc)
            return "failed"
        deliver_email.using(run_after=timezone.now() + EMAIL_RETRY_DELAYS[attempts - 1]).enqueue(email.pk)
        return "retry"
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENT,
        sent_at=timezone.now(),
        attempts=email.attempts + 1,
        last_error="",
        **_bodies_without_secret_links(email),
    )
    return "sent"


def _bodies_without_secret_links(email: Email) -> dict[str, str]:
    """Once a message has left, its secret links (reset, confirm, data, RSVP…) are for its addressee alone:
    the stored copy keeps the text for staff and the person's data export, not the links (decision 0012)."""
    return {"body_text": secret_links_redact(email.body_text), "body_html": secret_links_redact(email.body_html)}


def emails_purge_bodies(*, now: datetime | None = None) -> int:
    """Empty the bodies of e-mails older than EMAIL_BODY_RETENTION_DAYS and drop the outbox's copies; the rows,
    their recipients, subjects and delivery status stay, so counts and outcomes are kept. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EMAIL_BODY_RETENTION_DAYS)
    old = Email.objects.filter(created_at__lt=cutoff).exclude(status=Email.Status.QUEUED)
    purged = old.exclude(body_text="", body_html="").update(body_text="", body_html="")
    OutboxMessage.objects.filter(created_at__lt=cutoff).delete()
    return purged
