from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coalition.core.audit import acting_user
from coalition.events import organising
from coalition.events.models import RSVP, Event, EventPartner, EventReport, ReportPhoto
from coalition.events.photos import validate_photo


class EventPartnerInline(admin.TabularInline):
    model = EventPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class EventAdminForm(forms.ModelForm):
    """The admin's event form (the admin gives it its model and fields): the capacity rule of `event_update`
    as a field error."""

    def clean_capacity(self) -> int | None:
        capacity: int | None = self.cleaned_data.get("capacity")
        taken = self.instance.places_taken if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                _("The capacity cannot be below the %(n)s places already taken."), params={"n": taken}
            )
        return capacity


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "organisation", "starts_at", "timezone", "status", "capacity", "places_taken"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["title", "organisation__name", "city"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organisation", "created_by"]
    inlines = [EventPartnerInline]
    # Status and places change only through the services (moderation, replies): read-only here.
    readonly_fields = [
        "status",
        "places_taken",
        "sequence",
        "published_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool) -> None:
        """A change of the details goes through `event_update`, as the organisers' form does: the waiting list
        moves, reminders follow the time, and people who replied are told of a new time, place or format."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        details = [name for name in form.changed_data if name in organising.EVENT_FIELDS]
        others = [name for name in form.changed_data if name not in organising.EVENT_FIELDS]
        if others:
            Event.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in others})
        if details:
            organising.event_update(
                event=obj, data={name: form.cleaned_data[name] for name in details}, by=acting_user(request)
            )


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
