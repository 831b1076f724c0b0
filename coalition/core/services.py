"""Writes of the core app: queueing e-mail (delivered by `delivery`), recording bounces, keeping the task queue
alive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes
from email import policy as mail_policy
from typing import Any

from django.conf import settings
from django.db import router, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from coalition.core.delivery import deliver_email
from coalition.core.models import Email, OutboxMessage, WorkerHeartbeat
from coalition.lib.bounces import Bounce, BounceMatch, bounce_read

BOUNCED = "Bounced after sending: "
ERASED_REASON = "The recipient erased their data."


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Make `task` exist if and only if the current transaction commits.

    Every task that depends on rows saved in a request goes through here, so a worker never
    looks for a row that does not exist yet, and a failed request leaves no task behind.
    With the database task backend writing to the database of the open transaction, the task's
    row is inserted in that transaction: it commits or rolls back with the rows it is about,
    so no task can be lost between the commit and the enqueue, and a request commits once
    instead of twice. Any other backend (Redis) is called after the commit.
    """
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        using = router.db_for_write(DBTaskResult)
        if transaction.get_connection(using).in_atomic_block:
            task.enqueue(*args, **kwargs)
            return
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an e-mail (an event's calendar file); kept on the `Email` row until delivered."""

    filename: str
    content: str
    mimetype: str = "text/plain"

    def as_json(self) -> dict[str, str]:
        return {"filename": self.filename, "content": self.content, "mimetype": self.mimetype}


def path_in_language(path: Callable[[], str], language: str | None) -> str:
    """A page's address for someone whose language is known: /fr/… for French (docs/decisions/0017); in the
    language being written in when theirs is not known. `path` is called under that language (a `reverse`)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return path()


def link_in_language(path: Callable[[], str], language: str | None) -> str:
    """An absolute link for an e-mail to the page in its addressee's language (see `path_in_language`)."""
    return settings.SITE_URL + path_in_language(path, language)


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    reply_to: str = "",
    attachments: Sequence[Attachment] = (),
) -> Email:
    """Render `emails/<template>-{subject,body-text,body-html}.html` and queue the message for delivery."""
    context = {"site_url": settings.SITE_URL, "coalition_name": settings.COALITION_NAME, **(context or {})}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        # Subjects are plain text: "Smith & Sons", not "Smith &amp; Sons".
        subject = " ".join(_render_plain(f"emails/{template}-subject.html", context).split())
        body_text = render_to_string(f"emails/{template}-body-text.html", context)
        body_html = render_to_string(f"emails/{template}-body-html.html", context)
    return email_queue(
        to=to, subject=subject, body_text=body_text, body_html=body_html, reply_to=reply_to, attachments=attachments
    )


def _render_plain(template_name: str, context: dict[str, Any]) -> str:
    """Render a template with HTML escaping off, for text that is not HTML."""
    template = get_template(template_name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False)))


def email_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    reply_to: str = "",
    attachments: Sequence[Attachment] = (),
) -> Email:
    """Record an e-mail and have a worker deliver it after the current transaction commits."""
    # No savepoint: nested in a caller's transaction, an error rolls back the whole of it anyway.
    with transaction.atomic(savepoint=False):
        email = Email.objects.create(
            to=to,
            subject=subject[:300],
            body_text=body_text,
            body_html=body_html,
            reply_to=reply_to,
            attachments=[attachment.as_json() for attachment in attachments],
        )
        enqueue_on_commit(deliver_email, email.pk)
    return email


def email_bounce_record(*, bounce: Bounce) -> list[BounceMatch]:
    """A bounce of one of our e-mails (to a supporter, an applicant…): the e-mail is marked failed with the
    server's reason, where staff see it in the outbox. Apart from officials' bounces, which letters keeps."""
    if not bounce.permanent:
        return []
    matches = []
    for email in Email.objects.filter(message_id__in=bounce.message_ids):
        new = not email.last_error.startswith(BOUNCED)
        if new:
            Email.objects.filter(pk=email.pk).update(
                status=Email.Status.FAILED, last_error=f"{BOUNCED}{bounce.reason}"[:2000]
            )
        matches.append(BounceMatch(f"e-mail {email.pk} to {email.to} ({email.subject[:60]})", new=new))
    return matches


def bounce_process(raw: bytes) -> tuple[Bounce, list[BounceMatch]]:
    """Read one message from the bounce mailbox and let every app record what it recognises."""
    from coalition.core.discovery import app_modules

    bounce = bounce_read(raw)
    matches: list[BounceMatch] = []
    if not bounce.is_bounce:
        # Not a bounce: perhaps a request sent to the mailbox on purpose (a List-Unsubscribe mailto reply).
        readers = [module.mail_handle for _label, module in app_modules("bounces") if hasattr(module, "mail_handle")]
        if readers:
            message = message_from_bytes(raw, policy=mail_policy.default)
            for read in readers:
                matches.extend(read(message))
        return bounce, matches
    for _label, module in app_modules("bounces"):
        matches.extend(module.bounce_handle(bounce))
    return bounce, matches


def emails_to(address: str) -> QuerySet[Email]:
    """The e-mails written to an address, in any case, found through the index on LOWER(to) (no table scan)."""
    return Email.objects.filter(Exact(Lower("to"), address.strip().lower()))


def emails_erase_recipient(*, address: str) -> int:
    """Blank every e-mail to this address (and the outbox's copies): an erased person's address, name and
    links must not stay in our mail. Rows stay, emptied, because letters point at them and e-mails are never
    deleted; one still queued is marked failed, and delivery refuses a row without an address."""
    mine = emails_to(address)
    mine.filter(status=Email.Status.QUEUED).update(status=Email.Status.FAILED, last_error=ERASED_REASON)
    blanked = mine.update(to="", subject="", body_text="", body_html="", reply_to="", attachments=[])
    Email.objects.filter(reply_to__iexact=address).update(reply_to="")
    # The outbox stands in for the mail server on a laptop: copies to the person, and letters sent on
    # their behalf (their address as Reply-To), go.
    OutboxMessage.objects.filter(Q(to__iexact=address) | Q(**{"headers__Reply-To__iexact": address})).delete()
    return blanked


def worker_heartbeat(*, worker_id: str, hostname: str = "", pid: int | None = None) -> None:
    """Record that a worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": timezone.now(), "hostname": hostname, "pid": pid}
    )


def worker_stop(*, worker_id: str) -> None:
    """Forget a worker that stopped cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_requeue_abandoned(*, log: Callable[[str], None] | None = None) -> int:
    """Put tasks back in the queue whose worker died while running them; returns how many.

    A task is abandoned when it is marked running and the last worker that claimed it has sent no
    heartbeat for WORKER_DEAD_AFTER_SECONDS. Tasks must therefore be safe to run twice.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    for result in DBTaskResult.objects.running().filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True)):
        last_worker = result.worker_ids[-1] if result.worker_ids else None
        if last_worker in alive:
            continue
        # Conditional update: if the task finished meanwhile, nothing changes.
        changed = DBTaskResult.objects.filter(pk=result.pk, status=result.status).update(
            status=TaskResultStatus.READY, started_at=None
        )
        requeued += changed
        if changed and log:
            log(f"Requeued task {result.pk} ({result.task_path}) abandoned by worker {last_worker}")
    WorkerHeartbeat.objects.filter(last_seen__lt=cutoff - timedelta(days=1)).delete()
    return requeued
