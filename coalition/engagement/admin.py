"""Read-only views of the engagement records for staff: every change goes through the app's pages, whose
services write the audit trail (decision 0701)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coalition.engagement.models import (
    Assignment,
    Attendee,
    Commitment,
    Delegate,
    Delegation,
    FollowUp,
    OfficialMeeting,
    OfficialMet,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfficialMetInline(ReadOnlyMixin, admin.TabularInline):
    model = OfficialMet
    extra = 0
    fields = ["position", "name", "title"]


class AttendeeInline(ReadOnlyMixin, admin.TabularInline):
    model = Attendee
    extra = 0
    fields = ["name", "organisation", "organisation_name"]


class CommitmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["text", "status", "status_changed_at"]


@admin.register(OfficialMeeting)
class OfficialMeetingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["state", "held_on", "status", "format", "organisation", "visibility"]
    list_filter = ["status", "format", "visibility"]
    search_fields = ["state__name", "organisation__name", "officials__name"]
    date_hierarchy = "held_on"
    inlines = [OfficialMetInline, AttendeeInline, CommitmentInline]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "status", "state"]
    list_filter = ["status"]
    search_fields = ["title", "owner__email"]


class DelegateInline(ReadOnlyMixin, admin.TabularInline):
    model = Delegate
    extra = 0
    fields = ["user", "organisation", "arrives_on", "leaves_on"]


class AssignmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["delegate", "state", "asks"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "created_at"]
    inlines = [DelegateInline, AssignmentInline]
