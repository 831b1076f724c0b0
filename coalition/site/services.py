"""Writes of the public site: campaign pages, each change recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.site.models import Page
from coalition.site.pages import menu_forget


def page_changed(*, page: Page, by: User, created: bool, changes: dict[str, Any] | None = None) -> None:
    """Record who wrote or changed a page (its versions and files included) and refresh the menu."""
    with transaction.atomic():
        audit_record(by=by, action="page.create" if created else "page.change", target=page, detail=changes or {})
        menu_forget()


def page_deleted(*, page: Page, by: User) -> None:
    with transaction.atomic():
        audit_record(by=by, action="page.delete", target=page, detail={"slug": page.slug})
        menu_forget()
