from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from coalition.events.models import RSVP, Event, EventPartner, EventReport, ReportPhoto
from coalition.events.photos import validate_photo


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


class ReportPhotoForm(forms.ModelForm):
    class Meta:
        model = ReportPhoto
        fields = ["image", "caption"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            validate_photo(image)  # stored under the extension of its content (models._photo_path)
        return image


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    form = ReportPhotoForm
    extra = 0


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin):
    list_display = ["event", "attendance", "updated_at"]
    raw_id_fields = ["event", "written_by"]
    inlines = [ReportPhotoInline]
