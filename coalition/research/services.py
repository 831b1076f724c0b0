"""Writes of the research app: records and their review, the change history, totals and attachments.

Every change to a record goes through here and leaves a `RecordChange` (who, when, what); totals of
approved casualties are refreshed in the same transaction as the change that moves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.members.models import Organisation
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    EDITABLE_STATUSES,
    Attachment,
    Casualty,
    CasualtyTotal,
    RecordChange,
    Report,
    Reviewable,
    Status,
)

R = TypeVar("R", bound=Reviewable)

# Extension → the content type its first bytes must show.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
PERSONAL_PLACEHOLDER = "(personal data)"


def plain_value(value: Any) -> Any:
    """A field's value as the history keeps it (JSON: ids for related records, text for dates)."""
    return _value(value)


def record_changes(record: Reviewable, before: dict[str, Any]) -> dict[str, list[Any]]:
    """field → [before, after] of what changed; personal data only as "changed", never its values."""
    return _diff(record, before)


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def _diff(record: Reviewable, before: dict[str, Any]) -> dict[str, list[Any]]:
    personal = getattr(record, "PERSONAL_FIELDS", ())
    changes: dict[str, list[Any]] = {}
    for field, old in before.items():
        new = _value(getattr(record, field))
        if old != new:
            # The history says that personal data changed, never what it was or became.
            changes[field] = [PERSONAL_PLACEHOLDER] * 2 if field in personal else [old, new]
    return changes


def record_log(
    *, record: Reviewable, action: str, by: User | None, changes: dict[str, Any] | None = None, comment: str = ""
) -> RecordChange:
    return RecordChange.objects.create(
        record_kind=record.KIND, record_id=record.pk, action=action, by=by, changes=changes or {}, comment=comment
    )


def _editable_fields(record: Reviewable) -> list[str]:
    return [f.attname for f in record._meta.concrete_fields if f.editable and not f.primary_key]


def _set_derived(record: Reviewable) -> None:
    if isinstance(record, Casualty):
        record.year = record.date.year


def record_create(*, record: R, by: User, organisation: Organisation | None) -> R:
    """Save a new record as a draft of `organisation`, with its first history entry."""
    with transaction.atomic():
        record.organisation = organisation
        record.created_by = by
        record.status = Status.DRAFT
        _set_derived(record)
        record.full_clean()
        record.save()
        record_log(record=record, action=RecordChange.Action.CREATED, by=by)
    return record


def record_update(*, record: R, by: User, data: dict[str, Any]) -> R:
    """Apply `data` (field → value) to a record, log what changed, and keep the public totals in step."""
    with transaction.atomic():
        fresh = type(record)._default_manager.select_for_update().get(pk=record.pk)
        before = {field: _value(getattr(fresh, field)) for field in _editable_fields(fresh)}
        old_bucket = _bucket(fresh)
        for field, value in data.items():
            setattr(fresh, field, value)
        _set_derived(fresh)
        fresh.full_clean()
        fresh.save()
        changes = _diff(fresh, before)
        if changes:
            record_log(record=fresh, action=RecordChange.Action.EDITED, by=by, changes=changes)
            if fresh.status == Status.APPROVED:
                casualty_totals_refresh(buckets={b for b in (old_bucket, _bucket(fresh)) if b is not None})
    return fresh


def record_submit(*, record: R, by: User) -> R:
    if record.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Only drafts and records sent back for changes can be submitted."))
    with transaction.atomic():
        record.status = Status.SUBMITTED
        record.submitted_at = timezone.now()
        record.save(update_fields=["status", "submitted_at", "updated_at"])
        record_log(record=record, action=RecordChange.Action.SUBMITTED, by=by)
    return record


DECISIONS = {
    "approve": (Status.APPROVED, RecordChange.Action.APPROVED),
    "request_changes": (Status.CHANGES_REQUESTED, RecordChange.Action.CHANGES_REQUESTED),
    "reject": (Status.REJECTED, RecordChange.Action.REJECTED),
}


def record_review(*, record: R, by: User, decision: str, comment: str = "") -> R:
    """A reviewer approves a submitted record, sends it back with a comment, or rejects it."""
    if not by.has_perm("research.review_record"):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    if decision == "request_changes" and not comment.strip():
        raise ValidationError(_("Say what needs to change."))
    if record.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted records can be reviewed."))
    status, action = DECISIONS[decision]
    with transaction.atomic():
        record.status = status
        record.review_comment = comment.strip()
        record.reviewed_at = timezone.now()
        record.save(update_fields=["status", "review_comment", "reviewed_at", "updated_at"])
        record_log(record=record, action=action, by=by, comment=comment.strip())
        audit_record(by=by, action=f"research.{decision}", target=record, detail={"comment": comment.strip()})
        bucket = _bucket(record)
        if status == Status.APPROVED and bucket:
            casualty_totals_refresh(buckets={bucket})
    return record


def records_bulk_approve(*, records: Iterable[Reviewable], by: User) -> int:
    """Approve every submitted record among `records` in one transaction; others are left as they are."""
    if not by.has_perm("research.review_record"):
        raise PermissionDenied
    approved = 0
    buckets: set[tuple[str, int]] = set()
    with transaction.atomic():
        now = timezone.now()
        for record in records:
            if record.status != Status.SUBMITTED:
                continue
            record.status = Status.APPROVED
            record.reviewed_at = now
            record.save(update_fields=["status", "reviewed_at", "updated_at"])
            record_log(record=record, action=RecordChange.Action.APPROVED, by=by, comment=_("Bulk approval"))
            audit_record(by=by, action="research.approve", target=record, detail={"bulk": True})
            bucket = _bucket(record)
            if bucket:
                buckets.add(bucket)
            approved += 1
        if buckets:
            casualty_totals_refresh(buckets=buckets)
    return approved


def record_assign(*, record: R, by: User, reviewer: User | None) -> R:
    if not by.has_perm("research.review_record"):
        raise PermissionDenied
    with transaction.atomic():
        before = record.assigned_to_id
        before_email = record.assigned_to.email if record.assigned_to else None
        record.assigned_to = reviewer
        record.save(update_fields=["assigned_to", "updated_at"])
        record_log(
            record=record,
            action=RecordChange.Action.ASSIGNED,
            by=by,
            changes={"assigned_to": [before, reviewer.pk if reviewer else None]},
        )
        audit_record(
            by=by,
            action="research.assign",
            target=record,
            detail={"assigned_to": [before_email, reviewer.email if reviewer else None]},
        )
    return record


def _bucket(record: Reviewable) -> tuple[str, int] | None:
    # Approved or not, a casualty names the bucket it counts in (or has just left).
    if isinstance(record, Casualty):
        return (record.state_id, record.year)
    return None


def casualty_totals_refresh(*, buckets: set[tuple[str, int]] | None = None) -> int:
    """Recount approved casualties and their breakdowns into `CasualtyTotal`, for the given (state, year) buckets
    or all of them."""
    approved = Casualty.objects.filter(status=Status.APPROVED)
    totals = CasualtyTotal.objects.all()
    if buckets is not None:
        if not buckets:
            return 0
        where = Q()
        for state_id, year in buckets:
            where |= Q(state_id=state_id, year=year)
        approved = approved.filter(where)
        totals = totals.filter(where)
    sums = {f"sum_{name}": Sum(name) for name in ("killed", "injured", *BREAKDOWN_FIELDS)}
    with transaction.atomic():
        totals.delete()
        rows: Any = approved.values("state_id", "year").annotate(sum_records=Count("id"), **sums).order_by()
        created = CasualtyTotal.objects.bulk_create(
            (
                CasualtyTotal(
                    state_id=row["state_id"],
                    year=row["year"],
                    records=row["sum_records"],
                    **{name: row[f"sum_{name}"] for name in ("killed", "injured", *BREAKDOWN_FIELDS)},
                )
                for row in rows.iterator(chunk_size=5000)
            ),
            batch_size=500,
        )
    return len(created)


def attachment_add(*, report: Report, upload: UploadedFile, by: User) -> Attachment:
    """Keep an attachment only if its bytes are what its extension says, within the size limit."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("%(name)s: only PDF and image files (PNG, JPEG, GIF, WebP) can be attached.") % {"name": name}
        )
    limit = settings.RESEARCH_ATTACHMENT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    expected = ATTACHMENT_TYPES[extension]
    if kind is None or kind.mime != expected:
        raise ValidationError(
            _("%(name)s is not a %(extension)s file: its content does not match its extension.")
            % {"name": name, "extension": extension.upper()}
        )
    with transaction.atomic():
        attachment = Attachment.objects.create(
            report=report, file=upload, original_name=name[:200], content_type=expected, size=upload.size or 0
        )
        record_log(record=report, action=RecordChange.Action.EDITED, by=by, changes={"attachments": [None, name[:200]]})
    return attachment


def source_for_title(title: str, cache: dict[str, int]) -> int:
    """The id of the source with this title, created once; `cache` spares a query per imported row."""
    from coalition.research.models import Source

    if title not in cache:
        source = Source.objects.filter(title=title).order_by("id").first() or Source.objects.create(title=title)
        cache[title] = source.pk
    return cache[title]


def today() -> date:
    return timezone.localdate()
