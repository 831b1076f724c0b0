"""Read-only views of the engagement records for staff: every change goes through the app's pages, whose
services write the audit trail (decision 0701)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coalition.engagement import models


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class OfficialMetInline(ReadOnlyInline):
    model = models.OfficialMet
    fields = ["position", "name", "title"]


class AttendeeInline(ReadOnlyInline):
    model = models.Attendee
    fields = ["name", "organisation", "organisation_name"]


class CommitmentInline(ReadOnlyInline):
    model = models.Commitment
    fields = ["text", "status", "status_changed_at"]


@admin.register(models.OfficialMeeting)
class OfficialMeetingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["state", "held_on", "status", "format", "organisation", "visibility"]
    list_filter = ["status", "format", "visibility"]
    search_fields = ["state__name", "organisation__name", "officials__name"]
    date_hierarchy = "held_on"
    inlines = [OfficialMetInline, AttendeeInline, CommitmentInline]


@admin.register(models.FollowUp)
class FollowUpAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "status", "state"]
    list_filter = ["status"]
    search_fields = ["title", "owner__email"]


class DelegateInline(ReadOnlyInline):
    model = models.Delegate
    fields = ["user", "organisation", "arrives_on", "leaves_on"]


class AssignmentInline(ReadOnlyInline):
    model = models.Assignment
    fields = ["delegate", "state", "asks"]


@admin.register(models.Delegation)
class DelegationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "created_at"]
    inlines = [DelegateInline, AssignmentInline]
