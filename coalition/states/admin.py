from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from coalition.core.audit import acting_user, audit_record, form_changes
from coalition.states import services
from coalition.states.models import (
    TREATY_STATUS_FIELDS,
    Meeting,
    NationalMeasure,
    NationalMeasureChange,
    ObligationRecord,
    OutcomeDocument,
    Participation,
    ReferenceRelease,
    State,
    StateAsks,
    StateFact,
    Statement,
    TreatyEvent,
)


class TreatyEventInline(admin.TabularInline):
    model = TreatyEvent
    extra = 0
    fields = ["kind", "date", "derived", "title", "source", "note", "superseded_by"]
    readonly_fields = ["superseded_by"]
    can_delete = False  # history is kept: a wrong date is corrected by a new event


class StateFactInline(admin.TabularInline):
    model = StateFact
    extra = 0


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["iso3", "name", "status", "signed", "ratified", "entry_into_force", "region"]
    list_filter = ["status", "region"]
    search_fields = ["iso3", "name"]
    readonly_fields = TREATY_STATUS_FIELDS
    inlines = [TreatyEventInline, StateFactInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        state = form.instance
        status_before = state.status
        # The status columns are derived from the events just saved, never typed.
        services.state_refresh_status(state=state)
        detail: dict[str, Any] = form_changes(form)
        for formset in formsets:
            edits = {
                "added": [str(obj) for obj in formset.new_objects],
                "changed": [f"{obj}: {', '.join(fields)}" for obj, fields in formset.changed_objects],
                "deleted": [str(obj) for obj in formset.deleted_objects],
            }
            if any(edits.values()):
                detail[formset.model._meta.model_name] = {key: value for key, value in edits.items() if value}
        if detail:
            # Treaty events and facts are the campaign's public record: who corrected them, and what, is kept.
            detail["status"] = [status_before, state.status]
            audit_record(
                by=acting_user(request),
                action="state.change",
                target=state,
                label=f"{state.iso3} {state.name}",
                detail=detail,
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NationalMeasureChangeInline(admin.TabularInline):
    model = NationalMeasureChange
    extra = 0
    fields = ["changed_at", "changed_by_name", "created", "changes"]
    readonly_fields = ["changed_at", "changed_by_name", "created", "changes"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NationalMeasure)
class NationalMeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "kind", "status", "deadline", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "state__name", "state__iso3"]
    autocomplete_fields = ["state"]
    inlines = [NationalMeasureChangeInline]

    def save_model(self, request: HttpRequest, obj: NationalMeasure, form: ModelForm, change: bool) -> None:
        # Through the services, so the admin keeps the same who-and-when history as the staff pages.
        values = {name: form.cleaned_data[name] for name in services.MEASURE_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.measure_update(measure=obj, by=acting_user(request), **values)
        else:
            saved = services.measure_create(state=form.cleaned_data["state"], by=acting_user(request), **values)
        obj.pk = saved.pk


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["state"]


class StatementInline(admin.StackedInline):
    model = Statement
    extra = 0
    autocomplete_fields = ["state"]


class OutcomeDocumentInline(admin.TabularInline):
    model = OutcomeDocument
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [ParticipationInline, StatementInline, OutcomeDocumentInline]


@admin.register(ReferenceRelease)
class ReferenceReleaseAdmin(admin.ModelAdmin):
    list_display = ["as_of", "source", "loaded_at"]
    readonly_fields = ["as_of", "source", "loaded_at", "summary"]


class ObligationRecordForm(ModelForm):
    class Meta:
        model = ObligationRecord
        fields = ["state", "kind", "date", "period", "article", "new_deadline", "source", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state, kind, day = cleaned.get("state"), cleaned.get("kind"), cleaned.get("date")
        if state and kind and day:
            record = ObligationRecord(
                state=state,
                kind=kind,
                date=day,
                period=cleaned.get("period"),
                article=cleaned.get("article") or "",
                new_deadline=cleaned.get("new_deadline"),
            )
            # The same checks as the service, shown on the form's fields.
            services.obligation_record_check(state=state, record=record.as_record())
        return cleaned


@admin.register(ObligationRecord)
class ObligationRecordAdmin(admin.ModelAdmin):
    """Reports received, completions and extensions: the obligations' statuses are derived from these."""

    form = ObligationRecordForm
    list_display = ["state", "kind", "date", "period", "article", "new_deadline"]
    list_filter = ["kind", "article"]
    search_fields = ["state__name", "state__iso3", "source"]
    autocomplete_fields = ["state"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A record is history: a wrong one is corrected by a superuser, not edited by campaigners.
        return [] if obj is None or request.user.is_superuser else list(ObligationRecordForm.Meta.fields)

    def save_model(self, request: HttpRequest, obj: ObligationRecord, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            audit_record(by=acting_user(request), action="state.obligation_record_change", target=obj.state)
            return
        data = form.cleaned_data
        saved = services.obligation_record_add(
            state=data["state"],
            kind=data["kind"],
            date=data["date"],
            source=data["source"],
            period=data.get("period"),
            article=data.get("article") or "",
            new_deadline=data.get("new_deadline"),
            note=data.get("note") or "",
            by=acting_user(request),
        )
        obj.pk = saved.pk


@admin.register(StateAsks)
class StateAsksAdmin(admin.ModelAdmin):
    """What the campaign asks of each state (Markdown): shown in the brief to coalition users only."""

    list_display = ["state", "updated_at"]
    search_fields = ["state__name", "state__iso3"]
    autocomplete_fields = ["state"]
    fields = ["state", "text"]

    def save_model(self, request: HttpRequest, obj: StateAsks, form: ModelForm, change: bool) -> None:
        saved = services.asks_update(state=form.cleaned_data["state"], text=obj.text, by=acting_user(request))
        obj.pk = saved.pk
