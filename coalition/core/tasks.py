"""Background tasks of the core app, run by the worker that `make run` starts."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django_tasks import task

from coalition.core import services


@task()
def deliver_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)


@task()
def process_bounces() -> str:
    """Empty the bounce mailbox the mail server fills (BOUNCES_MAILDIR), when there is one."""
    if not settings.BOUNCES_MAILDIR:
        return "no bounce mailbox configured"
    return str(services.bounces_process_mailbox(Path(settings.BOUNCES_MAILDIR), remove=True))


@task()
def purge_email_bodies() -> str:
    """Daily: e-mail bodies older than EMAIL_BODY_RETENTION_DAYS are emptied; counts and outcomes stay."""
    return f"{services.emails_purge_bodies()} e-mail bodies emptied"
