"""Helpers for the tests that check a decision leaves exactly one audit entry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Model

from coalition.core.models import AuditEntry


@contextmanager
def recorded() -> Iterator[list[AuditEntry]]:
    """The entries written inside the block (factories may have written some before it)."""
    last = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    entries: list[AuditEntry] = []
    yield entries
    entries.extend(AuditEntry.objects.filter(id__gt=last).order_by("id"))


def assert_one_entry(entries: list[AuditEntry], *, by, action: str, target: Model) -> AuditEntry:
    """Exactly one entry, naming the person (`by`: a user, or an ActorKind), the action and the object."""
    assert [entry.action for entry in entries] == [action]
    [entry] = entries
    if isinstance(by, str):
        assert (entry.actor_id, entry.actor_kind) == (None, by)
    else:
        assert (entry.actor_id, entry.actor_kind) == (by.pk, AuditEntry.ActorKind.USER)
        assert by.email in entry.actor_label
    assert entry.content_type == ContentType.objects.get_for_model(target)
    assert entry.object_id == str(target.pk)
    return entry


def entry_text(entry: AuditEntry) -> str:
    """Everything an entry holds, as text: to check that something is nowhere in it."""
    return " ".join(
        str(value)
        for value in (entry.actor_label, entry.action, entry.object_id, entry.object_label, entry.detail, entry)
    )


def admin_change_data(response) -> dict[str, Any]:
    """What the admin's change page (`response`, a GET) would post back unchanged, inlines included."""
    data: dict[str, Any] = {}
    context = response.context
    _form_data(context["adminform"].form, data)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            _form_data(form, data)
    return data


def _form_data(form: forms.BaseForm, data: dict[str, Any]) -> None:
    for name, field in form.fields.items():
        if field.disabled or isinstance(field, forms.FileField):
            continue
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value) or []):
                data[f"{key}_{index}"] = "" if part is None else part
        elif value is not None:
            data[key] = [str(item) for item in value] if isinstance(value, list | tuple) else value
