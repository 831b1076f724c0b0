"""Writes of the research app: records and their review, the change history, totals and attachments.

Every change to a record goes through here and leaves a `RecordChange` (who, when, what); totals of
approved casualties are refreshed in the same transaction as the change that moves them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.core.services import enqueue_on_commit
from coalition.lib.downloads import ATTACHMENT_TYPES
from coalition.lib.refusals import Refused
from coalition.members.models import Organisation
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    EDITABLE_STATUSES,
    Attachment,
    Casualty,
    CasualtyTotal,
    Clearance,
    ContaminatedArea,
    ExportJob,
    ImportJob,
    JobStatus,
    RecordChange,
    Report,
    Reviewable,
    Source,
    Status,
)

R = TypeVar("R", bound=Reviewable)

# Extension → the content type its first bytes must show.
PERSONAL_PLACEHOLDER = "(personal data)"


def _value(value: Any) -> Any:
    """A field's value as the history keeps it (JSON: ids for related records, text for dates)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def _diff(record: Reviewable, before: dict[str, Any]) -> dict[str, list[Any]]:
    """field → [before, after] of what changed; personal data only as "changed", never its values."""
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


@dataclasses.dataclass(frozen=True)
class RecordExtras:
    """What a record's form gives beside the record's own fields, saved in the record's transaction."""

    # (title, address) of a source not listed yet, created for the record.
    new_source: tuple[str, str] | None = None
    # Many-to-many field → the records it links (a report's states).
    links: dict[str, Any] = dataclasses.field(default_factory=dict)
    # A contaminated area's outline ([] for none) and its m² cleared per year; None leaves them alone.
    outline: list[list[float]] | None = None
    clearances: dict[int, int] = dataclasses.field(default_factory=dict)
    # A report's attachment.
    attachment: UploadedFile | None = None


NO_EXTRAS = RecordExtras()


def source_create(*, title: str, url: str = "") -> Source:
    """A source named on a record's form that was not listed yet."""
    return Source.objects.create(title=title, url=url)


def area_outline_set(*, area: ContaminatedArea, outline: list[list[float]], clearances: dict[int, int]) -> None:
    """Replace an area's outline and its clearances (year → m² cleared)."""
    with transaction.atomic():
        area.polygon = outline
        area.save(update_fields=["polygon"])
        Clearance.objects.filter(area=area).delete()
        Clearance.objects.bulk_create(Clearance(area=area, year=year, cleared_m2=m2) for year, m2 in clearances.items())


def _extras_save(record: Reviewable, extras: RecordExtras, by: User) -> None:
    for name, value in extras.links.items():
        getattr(record, name).set(value)
    if extras.outline is not None and isinstance(record, ContaminatedArea):
        area_outline_set(area=record, outline=extras.outline, clearances=extras.clearances)
    if extras.attachment is not None and isinstance(record, Report):
        attachment_add(report=record, upload=extras.attachment, by=by)


def _new_source(extras: RecordExtras) -> Source | None:
    return source_create(title=extras.new_source[0], url=extras.new_source[1]) if extras.new_source else None


def record_create(*, record: R, by: User, organisation: Organisation | None, extras: RecordExtras = NO_EXTRAS) -> R:
    """Save a new record as a draft of `organisation`, with its first history entry (and what its form gave beside
    it: all or nothing)."""
    with transaction.atomic():
        source = _new_source(extras)
        if source:
            record.source = source  # type: ignore[attr-defined]  # only placed records name a new source
        record.organisation = organisation
        record.created_by = by
        record.status = Status.DRAFT
        _set_derived(record)
        record.full_clean()
        record.save()
        record_log(record=record, action=RecordChange.Action.CREATED, by=by)
        _extras_save(record, extras, by)
    return record


def record_update(*, record: R, by: User, data: dict[str, Any], extras: RecordExtras = NO_EXTRAS) -> R:
    """Apply `data` (field → value) to a record, log what changed, and keep the public totals in step (with what
    its form gave beside it: all or nothing)."""
    with transaction.atomic():
        source = _new_source(extras)
        if source:
            data = {**data, "source": source}
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
        _extras_save(fresh, extras, by)
    return fresh


@dataclasses.dataclass(frozen=True)
class ImportRun:
    """One import of a file: who imports it, for which organisation, whether as approved, and its source's title."""

    by: User | Actor
    organisation: Organisation | None
    approve: bool
    source: str

    @property
    def status(self) -> str:
        """The status of the records it adds or changes: approved, or awaiting review."""
        return Status.APPROVED if self.approve else Status.SUBMITTED


def record_import_update(*, record: Reviewable, values: dict[str, Any], run: ImportRun, at: datetime) -> None:
    """Apply what an import changes (`values`) to a record it names by its identifier, with the history entry; the
    record takes the import's status (approved, or awaiting review again). The caller refreshes the totals."""
    before = {name: _value(getattr(record, name)) for name in values}
    for name, value in values.items():
        setattr(record, name, value)
    record.status = run.status
    record.submitted_at = at
    record.reviewed_at = at if run.approve else None
    record.save(update_fields=[*values, "status", "submitted_at", "reviewed_at", "updated_at"])
    record_log(
        record=record,
        action=RecordChange.Action.EDITED,
        by=run.by if isinstance(run.by, User) else None,
        changes=_diff(record, before),
        comment=_("Updated by the import of %(name)s") % {"name": run.source or "-"},
    )


class ImportCounts(Protocol):
    imported: int
    updated: int
    unchanged: int


def import_audit(
    *, run: ImportRun, counts: ImportCounts, target: ImportJob | None = None, label: str | None = None, kind: str = ""
) -> None:
    """Record who imported a file (`research.import`): its counts, whether approved, for whom, from which source."""
    audit_record(
        by=run.by,
        action="research.import",
        target=target,
        label=label,
        detail={
            **({"kind": kind} if kind else {}),
            "imported": counts.imported,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "approved": run.approve,
            "organisation": run.organisation,
            "source": run.source,
        },
    )


def record_submit(*, record: R, by: User) -> R:
    if record.status not in EDITABLE_STATUSES:
        raise Refused(_("Only drafts and records sent back for changes can be submitted."))
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
        raise Refused(_("Unknown decision."))
    if decision == "request_changes" and not comment.strip():
        raise Refused(_("Say what needs to change."))
    if record.status != Status.SUBMITTED:
        raise Refused(_("Only submitted records can be reviewed."))
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
        raise Refused(_("%(name)s: only PDF and image files (PNG, JPEG, GIF, WebP) can be attached.") % {"name": name})
    limit = settings.RESEARCH_ATTACHMENT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise Refused(_("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    expected = ATTACHMENT_TYPES[extension]
    if kind is None or kind.mime != expected:
        raise Refused(
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
    if title not in cache:
        source = Source.objects.filter(title=title).order_by("id").first() or source_create(title=title)
        cache[title] = source.pk
    return cache[title]


def today() -> date:
    return timezone.localdate()


def export_job_request(*, kind: str, file_format: str, filters: dict[str, Any]) -> ExportJob:
    """A large export asked for on the public pages, built by a task once the request commits; the same export
    asked again within the hour reuses the job rather than building another."""
    from coalition.research import tasks  # its tasks run the exporter and the importer, which write through here

    recent = (
        ExportJob.objects.filter(
            kind=kind, format=file_format, filters=filters, created_at__gte=timezone.now() - timedelta(hours=1)
        )
        .exclude(status=JobStatus.FAILED)
        .first()
    )
    if recent is not None:
        return recent
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, format=file_format, filters=filters)
        enqueue_on_commit(tasks.build_export, job.pk)
    return job


def import_job_start(*, upload: UploadedFile, apply: bool, approve: bool, by: User) -> ImportJob:
    """A casualty file uploaded on the staff pages, checked (and if `apply`, imported) by a task once the request
    commits."""
    from coalition.research import tasks  # its tasks run the exporter and the importer, which write through here

    if not by.has_perm("research.import_records"):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=upload,
            original_name=(upload.name or "import.csv")[:200],
            dry_run=not apply,
            approve=approve,
            created_by=by,
        )
        enqueue_on_commit(tasks.run_casualty_import, job.pk)
    return job
