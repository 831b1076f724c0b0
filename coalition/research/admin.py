"""Admin of research records: read-mostly, and casualties' personal data only for those allowed to see it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coalition.core.audit import acting_user, audit_record, form_changes
from coalition.research import selectors
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

    def _full_position(self, request: HttpRequest) -> bool:
        """Reviewers see where it happened to the metre; other staff (campaigners) the public, rounded position."""
        coarse = getattr(self.model, "PUBLIC_DECIMALS", None) is not None
        return not coarse or request.user.has_perm("research.view_personal_data")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if self._full_position(request) else ["latitude", "longitude"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if self._full_position(request) else [*fields, "public_latitude", "public_longitude"]

    @admin.display(description=_("latitude (rounded to about 1 km)"))
    def public_latitude(self, obj: Any) -> float | None:
        return selectors.public_point(obj)[0]

    @admin.display(description=_("longitude (rounded to about 1 km)"))
    def public_longitude(self, obj: Any) -> float | None:
        return selectors.public_point(obj)[1]


@admin.register(Casualty)
class CasualtyAdmin(RecordAdmin):
    list_display = ["__str__", "state", "date", "killed", "injured", "status", "organisation"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "strike"]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj))
        if request.user.has_perm("research.view_personal_data"):
            return excluded
        return [*excluded, *Casualty.PERSONAL_FIELDS]

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
    """Who researches for which organisation: access to its records, so every change is in the audit trail."""

    list_display = ["user", "organisation"]
    raw_id_fields = ["user", "organisation"]

    def save_model(self, request: HttpRequest, obj: Researcher, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = "researcher.change" if change else "researcher.add"
        audit_record(by=acting_user(request), action=action, target=obj, detail=form_changes(form))

    def delete_model(self, request: HttpRequest, obj: Researcher) -> None:
        audit_record(by=acting_user(request), action="researcher.remove", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Researcher]) -> None:
        by = acting_user(request)
        for researcher in queryset:
            audit_record(by=by, action="researcher.remove", target=researcher)
        super().delete_queryset(request, queryset)


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
