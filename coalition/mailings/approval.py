"""A mailing from draft to on its way: saving it, what stops it from going, scheduling, the second person's
approval above the threshold, pause, resume and cancel; a test copy and a preview of it as a supporter gets it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import email_queue, enqueue_on_commit
from coalition.mailings import render, selectors
from coalition.mailings.delivery import send_batch, start_mailing
from coalition.mailings.models import Delivery, Mailing, MailingList, MailingVersion, Segment
from coalition.mailings.segments import SegmentError
from coalition.mailings.services import MailingError, free_slug
from coalition.members.models import Supporter


def mailing_save(
    *,
    by: User,
    name: str,
    mailing_list: MailingList,
    segment: Segment | None,
    language: str,
    subject: str,
    preheader: str,
    body: str,
    public: bool = False,
    versions: dict[str, tuple[str, str, str]] | None = None,
    mailing: Mailing | None = None,
) -> Mailing:
    """Create or change a draft; versions maps a language to (subject, preheader, body), a blank subject and
    body removing that version. Merge fields are checked here, so a draft never holds an unknown one."""
    versions = versions or {}
    errors = []
    for text in (subject, preheader, body, *(part for version in versions.values() for part in version)):
        errors.extend(render.merge_field_errors(text))
    if errors:
        raise MailingError(dict.fromkeys(errors))
    with transaction.atomic():
        if mailing is None:
            mailing = Mailing(slug=free_slug(Mailing, name, length=60, fallback="mailing"), created_by=by)
        else:
            mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
            if mailing.status != Mailing.Status.DRAFT:
                raise MailingError([_("Only a draft can be changed; this mailing is %(status)s.") % _status(mailing)])
        mailing.name, mailing.mailing_list, mailing.segment = name, mailing_list, segment
        mailing.language, mailing.subject, mailing.preheader, mailing.body = language, subject, preheader, body
        mailing.public = public
        mailing.save()
        for code, (v_subject, v_preheader, v_body) in versions.items():
            if code == language or not (v_subject.strip() or v_body.strip()):
                MailingVersion.objects.filter(mailing=mailing, language=code).delete()
                continue
            MailingVersion.objects.update_or_create(
                mailing=mailing,
                language=code,
                defaults={"subject": v_subject, "preheader": v_preheader, "body": v_body},
            )
    return mailing


def _status(mailing: Mailing) -> dict[str, str]:
    return {"status": str(mailing.get_status_display()).lower()}


def mailing_problems(mailing: Mailing, *, send_at: datetime | None = None, now: datetime | None = None) -> list[str]:
    """Everything that stops this mailing from going, in words for the campaigner (empty: it can go)."""
    now = now or timezone.now()
    problems = []
    if not mailing.subject.strip():
        problems.append(_("The mailing has no subject."))
    if not mailing.body.strip():
        problems.append(_("The mailing has no text: every mailing is also sent as plain text."))
    for version in mailing.versions.all():
        if not version.subject.strip() or not version.body.strip():
            problems.append(_("The %(language)s version needs a subject and a text.") % {"language": version.language})
    for text in (mailing.subject, mailing.preheader, mailing.body):
        problems.extend(render.merge_field_errors(text))
    if not mailing.mailing_list.consent_text.strip():
        problems.append(
            _("The list “%(name)s” has no consent text: its members never agreed to anything.")
            % {"name": mailing.mailing_list.name}
        )
    if send_at is not None and send_at < now - timedelta(minutes=1):
        problems.append(_("The send time is in the past."))
    if not problems:
        try:
            count = selectors.mailing_audience(mailing).count()
        except SegmentError as exc:
            problems.append(str(exc))
        else:
            if count == 0:
                problems.append(_("Nobody is in this audience: the list and segment select no supporter."))
    return list(dict.fromkeys(problems))


def needs_approval(mailing: Mailing, count: int) -> bool:
    return count > settings.MAILINGS_APPROVAL_THRESHOLD and mailing.approved_by_id is None


def mailing_schedule(*, mailing: Mailing, by: User, send_at: datetime | None = None) -> Mailing:
    """Send now (send_at None) or at a time; above the approval threshold it waits for a second person.
    Raises MailingError with every problem, and then nothing changes."""
    now = timezone.now()
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",)).select_related("mailing_list", "segment").get(pk=mailing.pk)
        )
        if mailing.status != Mailing.Status.DRAFT:
            raise MailingError([_("Only a draft can be sent; this mailing is %(status)s.") % _status(mailing)])
        problems = mailing_problems(mailing, send_at=send_at, now=now)
        if problems:
            raise MailingError(problems)
        count = selectors.mailing_audience(mailing).count()
        mailing.send_at = send_at or now
        if needs_approval(mailing, count):
            mailing.status = Mailing.Status.AWAITING_APPROVAL
        else:
            mailing.status = Mailing.Status.SCHEDULED
        mailing.save(update_fields=["send_at", "status"])
        audit_record(
            by=by,
            action="mailing.send",
            target=mailing,
            detail={"send_at": mailing.send_at, "recipients_now": count, "status": mailing.status},
        )
        if mailing.status == Mailing.Status.SCHEDULED:
            _enqueue_start(mailing)
    return mailing


def _enqueue_start(mailing: Mailing) -> None:
    assert mailing.send_at is not None
    if mailing.send_at <= timezone.now():
        enqueue_on_commit(start_mailing, mailing.pk)
    else:
        enqueue_on_commit(start_mailing.using(run_after=mailing.send_at), mailing.pk)


def may_approve(mailing: Mailing, user: User) -> bool:
    """A second campaigner (not who prepared it) or an administrator."""
    if user.is_superuser:
        return True
    return user.has_perm("mailings.approve_mailing") and user.pk != mailing.created_by_id


def mailing_approve(*, mailing: Mailing, by: User) -> Mailing:
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",)).select_related("mailing_list", "segment").get(pk=mailing.pk)
        )
        if mailing.status != Mailing.Status.AWAITING_APPROVAL:
            raise MailingError([_("This mailing is not waiting for approval.")])
        if not may_approve(mailing, by):
            raise MailingError(
                [_("A mailing is approved by a second campaigner or an administrator, not by whoever prepared it.")]
            )
        count = selectors.mailing_audience(mailing).count()
        mailing.status, mailing.approved_by, mailing.recipients_at_approval = Mailing.Status.SCHEDULED, by, count
        if mailing.send_at is None or mailing.send_at < timezone.now():
            mailing.send_at = timezone.now()
        mailing.save(update_fields=["status", "approved_by", "recipients_at_approval", "send_at"])
        audit_record(by=by, action="mailing.approve", target=mailing, detail={"recipients_now": count})
        _enqueue_start(mailing)
    return mailing


def mailing_pause(*, mailing: Mailing, by: User) -> Mailing:
    return _transition(
        mailing, by, "mailing.pause", {Mailing.Status.SENDING, Mailing.Status.SCHEDULED}, Mailing.Status.PAUSED
    )


def mailing_resume(*, mailing: Mailing, by: User) -> Mailing:
    with transaction.atomic():
        mailing = _transition(mailing, by, "mailing.resume", {Mailing.Status.PAUSED}, Mailing.Status.SENDING)
        if mailing.started_at is None:
            Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SCHEDULED)
            mailing.status = Mailing.Status.SCHEDULED
            _enqueue_start(mailing)
        else:
            enqueue_on_commit(send_batch, mailing.pk)
    return mailing


def mailing_cancel(*, mailing: Mailing, by: User) -> Mailing:
    with transaction.atomic():
        mailing = _transition(
            mailing,
            by,
            "mailing.cancel",
            {
                Mailing.Status.DRAFT,
                Mailing.Status.AWAITING_APPROVAL,
                Mailing.Status.SCHEDULED,
                Mailing.Status.SENDING,
                Mailing.Status.PAUSED,
            },
            Mailing.Status.CANCELLED,
        )
        Delivery.objects.filter(mailing=mailing, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED, last_error="Cancelled", claim="", lease_until=None
        )
        Mailing.objects.filter(pk=mailing.pk).update(finished_at=timezone.now())
    return mailing


def _transition(mailing: Mailing, by: User, action: str, allowed: set[str], to: str) -> Mailing:
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status not in allowed:
            raise MailingError([_("This cannot be done to a mailing that is %(status)s.") % _status(mailing)])
        before = mailing.status
        mailing.status = to
        mailing.save(update_fields=["status"])
        audit_record(by=by, action=action, target=mailing, detail={"status": [before, to]})
    return mailing


def mailing_test_send(*, mailing: Mailing, by: User) -> None:
    """A copy to the campaigner's own address, as they would receive it (their name), through core's queue.
    Its links are placeholders that unsubscribe nobody."""
    language, subject, preheader, body = selectors.version_for(mailing, mailing.language)
    prepared = render.prepare(subject=subject, preheader=preheader, body=body, language=language, name=mailing.name)
    values = render.recipient_values(name=by.full_name or "", country="", language=language, token="test-copy")  # noqa: S106  a placeholder, not a secret
    message = render.build_message(prepared, to=by.email, values=values, headers={})
    html = next(str(content) for content, _mime in message.alternatives)
    prefix = _("Test")
    with transaction.atomic():
        email_queue(to=by.email, subject=f"[{prefix}] {message.subject}", body_text=str(message.body), body_html=html)


def mailing_preview(mailing: Mailing, *, supporter: Supporter | None, language: str | None = None) -> dict[str, str]:
    """The mailing as this supporter would receive it (their language's version, their merge fields)."""
    language = (supporter.language if supporter else "") or language or mailing.language
    language, subject, preheader, body = selectors.version_for(mailing, language)
    prepared = render.prepare(subject=subject, preheader=preheader, body=body, language=language, name=mailing.name)
    values = render.recipient_values(
        name=supporter.name if supporter else "",
        country=str(supporter.country) if supporter else "",
        language=language,
        token="preview",  # noqa: S106  a placeholder, not a secret
    )
    return {
        "language": language,
        "subject": " ".join(prepared.subject.fill(values, html=False).split()),
        "preheader": prepared.preheader.fill(values, html=False),
        "html": prepared.html.fill(values, html=True),
        "text": prepared.text.fill(values, html=False),
    }
