"""Background tasks of the engagement app; each is a thin, idempotent call into a service."""

from __future__ import annotations

from django_tasks import task

from coalition.engagement import services


@task()
def send_follow_up_reminders() -> int:
    """Reminders of follow-ups due in a few days or today, each sent once (services.follow_up_send_reminders)."""
    return services.follow_up_send_reminders()


@task()
def build_delegation_briefs(job_id: int) -> str:
    """One PDF of the country briefs of a delegation's assigned states (services.delegation_briefs_build)."""
    return services.delegation_briefs_build(job_id=job_id)


@task()
def purge_printed_briefs() -> str:
    """Daily: printed briefs older than ENGAGEMENT_PRINTED_BRIEFS_DAYS go (services.delegation_briefs_purge)."""
    return f"{services.delegation_briefs_purge()} printed briefs deleted"
