from __future__ import annotations

from django.contrib import admin

from coalition.events.models import RSVP, Event, EventPartner, EventReport, ReportPhoto


class EventPartnerInline(admin.TabularInline):
    model = EventPartner
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "starts_at", "timezone", "status", "capacity", "places_taken"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["title", "organisation__name", "city"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organisation", "created_by"]
    inlines = [EventPartnerInline]
    # Status and places change only through the services (moderation, replies): read-only here.
    readonly_fields = ["status", "places_taken", "published_at", "cancelled_at", "created_at", "updated_at"]


@admin.register(RSVP)
class RSVPAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "guests", "status", "created_at", "checked_in_at", "reminder_sent_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "event__title"]
    raw_id_fields = ["event", "referred_by"]
    readonly_fields = ["status", "promoted_at", "cancelled_at", "reminder_sent_at", "created_at"]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin):
    list_display = ["event", "attendance", "updated_at"]
    raw_id_fields = ["event", "written_by"]
    inlines = [ReportPhotoInline]
