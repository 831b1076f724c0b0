from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coalition.core.mail import may_read_outbox
from coalition.core.models import Email, OutboxMessage, WorkerHeartbeat


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
