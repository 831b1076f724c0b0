"""Writes of the core app: queueing and delivering e-mail, and keeping the task queue alive."""

from __future__ import annotations

import logging
import mailbox
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes
from email import policy as mail_policy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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

from coalition.core.models import Email, OutboxMessage, WorkerHeartbeat
from coalition.core.secret_links import secret_links_redact
from coalition.lib.bounces import Bounce, BounceMatch, bounce_read

logger = logging.getLogger(__name__)

BOUNCED = "Bounced after sending: "
# Delays between delivery attempts of one e-mail; after the last one it is marked failed.
EMAIL_RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
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
    from coalition.core.tasks import deliver_email

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


def email_deliver(*, email_id: int) -> str:
    """Hand one queued e-mail to the mail backend, at most once once it is recorded as sent."""
    from coalition.core.tasks import deliver_email

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


@dataclass
class BounceRun:
    """What one pass over a bounce mailbox found."""

    read: int = 0
    bounces: int = 0
    recorded: list[str] = field(default_factory=list)
    unmatched: int = 0
    not_bounces: int = 0
    requests: int = 0

    def __str__(self) -> str:
        return (
            f"{self.read} message(s) read: {self.bounces} bounce(s), {len(self.recorded)} recorded, "
            f"{self.unmatched} bounce(s) of nothing we sent, {self.not_bounces} not a bounce"
        ) + (f", {self.requests} request(s) by mail (unsubscribe)" if self.requests else "")


def bounces_process_mailbox(
    path: Path, *, remove: bool = False, log: Callable[[str], None] = lambda line: None
) -> BounceRun:
    """Read every message of a Maildir, an mbox file or a single message file and record its bounces.

    With `remove`, each message is deleted once handled (what a mailbox the site alone reads wants);
    without it, reading the same mailbox again records nothing twice.
    """
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise ValueError(f"{path} is a folder but not a Maildir (no cur/ and new/ inside)")
        box: mailbox.Mailbox[Any] = mailbox.Maildir(path, factory=None, create=False)
    elif path.is_file():
        with path.open("rb") as handle:
            is_mbox = handle.read(5) == b"From "
        if not is_mbox:
            run = BounceRun()
            _bounce_count(run, path.read_bytes(), log)
            if remove:
                path.unlink()
            return run
        box = mailbox.mbox(path, factory=None, create=False)
    else:
        raise ValueError(f"{path}: no such file or folder")
    run = BounceRun()
    box.lock()
    try:
        for key in list(box.keys()):
            _bounce_count(run, box.get_bytes(key), log)
            if remove:
                box.remove(key)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return run


def _bounce_count(run: BounceRun, raw: bytes, log: Callable[[str], None]) -> None:
    run.read += 1
    bounce, matches = bounce_process(raw)
    if not bounce.is_bounce and matches:
        run.requests += 1
        for match in matches:
            if match.new:
                run.recorded.append(match.what)
            log(f"  {match.what}: {'recorded' if match.new else 'already recorded'}")
        return
    if not bounce.is_bounce:
        run.not_bounces += 1
        return
    run.bounces += 1
    if not matches:
        run.unmatched += 1
        log(f"  a bounce for {', '.join(sorted(bounce.permanent | bounce.temporary))} matches nothing we sent")
    for match in matches:
        if match.new:
            run.recorded.append(match.what)
        log(f"  {match.what}: {'recorded' if match.new else 'already recorded'}")


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
