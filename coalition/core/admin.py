from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coalition.core.mail import may_read_outbox
from coalition.core.models import AuditEntry, Email, OutboxMessage, WorkerHeartbeat


class RecordOfWhatHappenedAdmin(admin.ModelAdmin):
    """Rows that record what happened (an e-mail sent, a decision taken): read, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Email)
class EmailAdmin(RecordOfWhatHappenedAdmin):
    """That an e-mail was sent, to whom, when and with what outcome; never its body, which holds the
    addressee's secret links until delivery (decision 0012). Records of what happened: nobody edits them."""

    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    fields = readonly_fields = (
        "to",
        "subject",
        "reply_to",
        "status",
        "attempts",
        "last_error",
        "message_id",
        "created_at",
        "sent_at",
    )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Everyone's mail on a laptop with no SMTP server: the superuser's alone, and only in outbox mode."""

    list_display = ["subject", "to", "created_at"]
    search_fields = ["subject", "to"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read_outbox(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read_outbox(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read_outbox(request.user)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen"]


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordOfWhatHappenedAdmin):
    """The audit trail, read in one place: who decided what, when (docs/decisions/0011-audit-trail.md).

    Readable with `core.view_auditentry`, which no role holds: administrators (superusers) only, unless
    they grant it. Nobody can add, change or delete an entry here.
    """

    list_display = ["at", "who", "action", "content_type", "about", "summary"]
    list_filter = [
        ("actor", admin.RelatedOnlyFieldListFilter),
        "actor_kind",
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "at"
    search_fields = ["object_label", "object_id", "actor_label", "action"]
    list_select_related = ["content_type"]
    list_per_page = 100
    actions = None

    @admin.display(description=_("who"), ordering="actor_label")
    def who(self, entry: AuditEntry) -> str:
        if entry.actor_kind != AuditEntry.ActorKind.USER:
            return str(entry.get_actor_kind_display())
        return entry.actor_label

    @admin.display(description=_("object"), ordering="object_label")
    def about(self, entry: AuditEntry) -> str:
        if entry.content_type_id is None:
            return entry.object_label
        # Links to every entry about the same object.
        query = urlencode({"content_type__id__exact": entry.content_type_id, "object_id": entry.object_id})
        return format_html('<a href="?{}">{}</a>', query, entry.object_label or entry.object_id)

    @admin.display(description=_("detail"))
    def summary(self, entry: AuditEntry) -> str:
        text = json.dumps(entry.detail, ensure_ascii=False)
        return "" if text == "{}" else (text if len(text) <= 160 else text[:159] + "…")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # "Every entry about this object" filters on the object's id as well as its type.
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)
