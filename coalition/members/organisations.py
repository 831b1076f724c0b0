"""Writes of the registry's organisations: their slug, status and its history, their profile and editors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.core.audit import Actor, audit_record, field_changes
from coalition.members.models import RESERVED_SLUGS, Organisation, OrganisationStatusChange


def organisation_unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70].strip("-") or "organisation"
    candidate, n = base, 1
    taken = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Organisation.objects.all()
    while candidate in RESERVED_SLUGS or taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def organisation_set_status(
    *,
    organisation: Organisation,
    status: str,
    by: User | Actor,
    note: str = "",
    stamp_joined: bool = True,
    audited: bool = True,
) -> Organisation:
    """Change the status and keep the history (who, when, why). Setting the same status changes nothing.

    A new member's joining date is today unless known (`stamp_joined=False` for imports, which never guess).
    `audited=False` when the caller records the decision itself (an approval, an import), once.
    """
    with transaction.atomic():
        if organisation.status == status:
            return organisation
        OrganisationStatusChange.objects.create(
            organisation=organisation,
            from_status=organisation.status,
            to_status=status,
            changed_by=by if isinstance(by, User) else None,
            note=note,
        )
        if audited:
            audit_record(
                by=by,
                action="organisation.set_status",
                target=organisation,
                detail={"status": [organisation.status, status], "note": note},
            )
        organisation.status = status
        if stamp_joined and status == Organisation.Status.MEMBER and organisation.joined_on is None:
            organisation.joined_on = timezone.localdate()
        organisation.save(update_fields=["status", "joined_on", "updated_at"])
    return organisation


# Fields an organisation's own editors may change; status, seats and membership dates are staff's.
EDITOR_FIELDS = ("name", "type", "country", "city", "website", "description", "logo", "languages", "contact_email")


def organisation_update_profile(*, organisation: Organisation, data: Mapping[str, Any], by: User) -> Organisation:
    with transaction.atomic():
        # From the database: a bound form has already set its values on `organisation`.
        stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {field: getattr(stored, field) for field in EDITOR_FIELDS if field in data}
        for field in EDITOR_FIELDS:
            if field in data:
                setattr(organisation, field, data[field])
        organisation.full_clean()
        organisation.save()
        changed = field_changes(before, {field: getattr(organisation, field) for field in before})
        if changed:
            audit_record(by=by, action="organisation.update_profile", target=organisation, detail={"fields": changed})
    return organisation


def organisation_add_editor(*, organisation: Organisation, email: str, full_name: str = "") -> User:
    """Make the person with this address an editor of the organisation, creating their account if needed."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    user.groups.add(Group.objects.get_or_create(name=Role.ORGANISATION_EDITOR)[0])
    organisation.editors.add(user)
    return user
