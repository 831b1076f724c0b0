"""Admin of research records: read-mostly, and casualties' personal data only for those allowed to see it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coalition.research.models import (
    Attachment,
    Casualty,
    Clearance,
    ContaminatedArea,
    ImportJob,
    RecordChange,
    Report,
    Researcher,
    Source,
    Strike,
)


class RecordAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "date", "status", "organisation"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "source", "created_by", "assigned_to"]
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "reviewed_at"]
    list_select_related = ["state", "organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are withdrawn by rejecting them, so their history stays whole.
        return False


@admin.register(Casualty)
class CasualtyAdmin(RecordAdmin):
    list_display = ["__str__", "state", "date", "killed", "injured", "status", "organisation"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "strike"]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.has_perm("research.view_personal_data"):
            return []
        return list(Casualty.PERSONAL_FIELDS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changes go through the workspace, which logs them; the admin is for looking.
        return False


@admin.register(Strike)
class StrikeAdmin(RecordAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClearanceInline(admin.TabularInline):
    model = Clearance
    extra = 0


@admin.register(ContaminatedArea)
class AreaAdmin(RecordAdmin):
    inlines = [ClearanceInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["file", "original_name", "content_type", "size"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "status", "organisation"]
    list_filter = ["status"]
    inlines = [AttachmentInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title"]


@admin.register(Researcher)
class ResearcherAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    raw_id_fields = ["user", "organisation"]


@admin.register(RecordChange)
class RecordChangeAdmin(admin.ModelAdmin):
    list_display = ["record_kind", "record_id", "action", "by", "at"]
    list_filter = ["record_kind", "action"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "rows_done", "imported", "error_count", "created_by", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
