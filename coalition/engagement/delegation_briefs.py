"""The country briefs of a delegation, printed as one PDF: asked for on the delegation's page, drawn by a task
for the person who asked (with what they may read), and deleted after ENGAGEMENT_PRINTED_BRIEFS_DAYS."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from coalition.accounts.models import User
from coalition.core.services import enqueue_on_commit
from coalition.engagement import selectors
from coalition.engagement.models import Delegation, DelegationBriefs
from coalition.engagement.services import EngagementError

logger = logging.getLogger(__name__)


def delegation_briefs_request(*, delegation: Delegation, by: User, language: str) -> DelegationBriefs:
    """Ask for one PDF of the briefs of every state assigned in the delegation, drawn by a task for `by` in
    `language`. The same person's unfinished request for the same delegation and language is reused."""
    with transaction.atomic():
        states = delegation.assignments.count()
        if not states:
            raise EngagementError(_("No state is assigned in this delegation yet: there is no brief to print."))
        pending = DelegationBriefs.objects.filter(
            delegation=delegation,
            requested_by=by,
            language=language,
            status__in=[DelegationBriefs.Status.QUEUED, DelegationBriefs.Status.RUNNING],
        ).first()
        if pending is not None:
            return pending
        job = DelegationBriefs.objects.create(
            delegation=delegation, requested_by=by, language=language, states_total=states
        )
        enqueue_on_commit(build_delegation_briefs, job.pk)
    return job


def delegation_briefs_build(*, job_id: int) -> str:
    """Draw the briefs into one PDF, state after state in the delegation page's order, with the restricted parts
    the requester may read when it runs. Idempotent: a finished job is left alone, an interrupted one starts
    again. Not one transaction: the progress written after each state must be seen by the progress page."""
    from coalition.states.brief import state_brief
    from coalition.states.brief_pdf import briefs_pdf

    job = DelegationBriefs.objects.select_related("delegation__meeting", "requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status == DelegationBriefs.Status.DONE:
        return "already done"
    jobs = DelegationBriefs.objects.filter(pk=job.pk)
    rows = selectors.delegation_page(job.delegation)["assignments"]
    iso3s = [row["assignment"].state_id for row in rows]
    jobs.update(status=DelegationBriefs.Status.RUNNING, states_done=0, states_total=len(iso3s))
    try:
        with translation.override(job.language):
            title = _("Country briefs for the delegation to %(meeting)s") % {"meeting": job.delegation.meeting.name}
            content = briefs_pdf(
                (state_brief(iso3=iso3, user=job.requested_by) for iso3 in iso3s),
                title=title,
                done=lambda n: jobs.update(states_done=n),
            )
        job.file.save(f"briefs-{job.pk}.pdf", ContentFile(content), save=False)
    except Exception:
        logger.exception("The briefs of delegation %s could not be drawn", job.delegation_id)
        jobs.update(status=DelegationBriefs.Status.FAILED, finished_at=timezone.now())
        raise
    jobs.update(status=DelegationBriefs.Status.DONE, file=job.file.name, finished_at=timezone.now())
    return "done"


def delegation_briefs_purge(*, now: datetime | None = None) -> int:
    """Delete printed briefs (the PDF and its request) asked for more than ENGAGEMENT_PRINTED_BRIEFS_DAYS ago:
    they hold the restricted parts their requester could read that day, and a fresh print is one click away.
    A request that old and still waiting or drawing is a dead one (its worker stopped) and goes too. Returns how
    many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ENGAGEMENT_PRINTED_BRIEFS_DAYS)
    deleted = 0
    for job in DelegationBriefs.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)  # a file already gone is no error
        job.delete()
        deleted += 1
    return deleted


@task()
def build_delegation_briefs(job_id: int) -> str:
    """One PDF of the country briefs of a delegation's assigned states (delegation_briefs_build)."""
    return delegation_briefs_build(job_id=job_id)


@task()
def purge_printed_briefs() -> str:
    """Daily: printed briefs older than ENGAGEMENT_PRINTED_BRIEFS_DAYS go (delegation_briefs_purge)."""
    return f"{delegation_briefs_purge()} printed briefs deleted"
