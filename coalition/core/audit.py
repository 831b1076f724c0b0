"""The audit trail: who decided what, and when, for every moderation and administrative decision.

Every app's services call `audit_record` inside the transaction of the decision they record, so the
decision and its entry are kept together or not at all. Entries are append-only (`core.AuditEntry`);
administrators read them in the admin (docs/decisions/0011-audit-trail.md).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from coalition.core.models import AuditEntry

if TYPE_CHECKING:  # core sits below accounts: at run time the account class is settings.AUTH_USER_MODEL
    from coalition.accounts.models import User

ACTION_FORMAT = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Long texts (a description, a letter) are cut: the entry says what changed, it does not keep a copy.
MAX_TEXT = 300
MAX_LABEL = 200

# Models whose text form names a supporter, a letter's writer or an attendee: entries name them by number.
PERSONAL_MODELS = frozenset(
    {
        "members.supporter",
        "members.signup",
        "members.consentrecord",
        "events.rsvp",
        "letters.letter",
        "letters.message",
    }
)


class Actor(enum.Enum):
    """Who decided, when no staff account did."""

    SUBJECT = AuditEntry.ActorKind.SUBJECT.value  # the person the data is about, through their own link
    SYSTEM = AuditEntry.ActorKind.SYSTEM.value  # a management command or a scheduled job


def acting_user(request: HttpRequest) -> User:
    """The account making a decision in this request; views behind a log-in check call this, never cast.

    Refuses (403) a request without an account, so a decision can never be recorded as made by no one.
    """
    user = request.user
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        raise PermissionDenied
    return user


def target_label(target: models.Model) -> str:
    """How an entry names its object: its text, except where that would name a person who is not staff."""
    if target._meta.label_lower in PERSONAL_MODELS:
        return f"{target._meta.model_name} #{target.pk}"  # the same in every language
    if isinstance(target, get_user_model()):
        return target.email  # an account is named by its log-in
    return str(target)[:MAX_LABEL]


def plain(value: Any) -> Any:
    """A short JSON-friendly form of a value for an entry's detail."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, models.Model):
        return target_label(value)
    if isinstance(value, datetime):
        # One instant is one text, whatever the time zone it was given in.
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset | models.QuerySet) else items
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field → [before, after] for the fields whose value differs."""
    found = {}
    for name, new in after.items():
        old = plain(before.get(name))
        new = plain(new)
        if old != new:
            found[name] = [old, new]
    return found


def form_changes(form: forms.ModelForm[Any], fields: Collection[str] | None = None) -> dict[str, list[Any]]:
    """Field → [before, after] for what a saved admin form changed: ids for a related object, sorted names
    for many. Pass `fields` to leave out what is not for the trail."""
    found = {}
    for name in form.changed_data:
        if (fields is not None and name not in fields) or name not in form.cleaned_data:
            continue
        before, after = form.initial.get(name), form.cleaned_data[name]
        if isinstance(after, models.QuerySet | list | tuple):
            before, after = sorted(plain(list(before or []))), sorted(plain(list(after)))
        elif isinstance(after, models.Model):
            after = after.pk
        before, after = plain(before), plain(after)
        if before != after:  # a field with a callable default may say it changed when it did not
            found[name] = [before, after]
    return found


def audit_record(
    *,
    by: User | Actor,
    action: str,
    target: models.Model | None,
    detail: Mapping[str, Any] | None = None,
    label: str | None = None,
) -> AuditEntry:
    """Record that `by` did `action` (a code such as `membership.approve`) to `target`.

    Call it inside the transaction of the decision. `detail` is short: the fields changed (before and
    after), the reason or comment given. Never put a supporter's or casualty's personal data in it.
    """
    if not ACTION_FORMAT.match(action):
        raise ValueError(f"audit action {action!r} is not of the form 'object.verb'")
    entry = AuditEntry(action=action, detail=plain(dict(detail or {})))
    if isinstance(by, Actor):
        entry.actor_kind = by.value
    elif isinstance(by, get_user_model()) and by.pk is not None:
        entry.actor = by
        entry.actor_kind = AuditEntry.ActorKind.USER
        entry.actor_label = f"{by.full_name} <{by.email}>" if by.full_name else by.email
    else:
        raise TypeError("a decision is recorded with the account that made it, or an Actor")
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_label = target_label(target)
    if label is not None:
        entry.object_label = label[:MAX_LABEL]
    entry.save()
    return entry
