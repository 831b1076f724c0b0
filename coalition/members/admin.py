from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coalition.core.audit import acting_user, audit_record
from coalition.members.models import (
    ConsentRecord,
    MembershipApplication,
    Organisation,
    OrganisationStatusChange,
    SteeringCommitteeSeat,
    Supporter,
)
from coalition.members.supporters import supporter_erase


class SeatInline(admin.TabularInline):
    model = SteeringCommitteeSeat
    extra = 0


class StatusChangeInline(admin.TabularInline):
    # History is written by organisation_set_status, never edited by hand.
    model = OrganisationStatusChange
    fk_name = "organisation"
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "country", "status", "joined_on", "founding_member"]
    list_filter = ["status", "type", "founding_member", "country"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["editors"]
    # Status changes go through the application review or the history-keeping service, not this form.
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [SeatInline, StatusChangeInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Editors may change the organisation's profile, events and research: granting that is a decision.
        if "editors" not in form.cleaned_data:
            return
        before = sorted(user.email for user in form.initial.get("editors", []))
        after = sorted(user.email for user in form.cleaned_data["editors"])
        if before != after:
            audit_record(
                by=acting_user(request),
                action="organisation.editors",
                target=form.instance,
                detail={"editors": [before, after]},
            )


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "contact_email", "status", "flag", "times_submitted", "created_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "contact_email"]
    readonly_fields = ["status", "decided_by", "decided_at", "times_submitted", "created_at"]


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = [
        "sign_up",
        "kind",
        "granted",
        "text",
        "text_version",
        "language",
        "source",
        "created_at",
        "confirmed_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "country", "status", "referred_by", "created_at"]
    list_filter = ["status", "country"]
    search_fields = ["email", "name"]
    readonly_fields = ["status", "created_at", "confirmed_at", "erased_at"]
    raw_id_fields = ["referred_by"]
    inlines = [ConsentInline]
    actions = ["erase"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Deleting the row would skip the erasure of the supporter's letters, replies and e-mails in the other
        apps, and its record in the audit trail: erasure is the only way out."""
        return False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("members.delete_supporter"))

    @admin.action(description=_("Erase the personal data of the selected supporters"), permissions=["erase"])
    def erase(self, request: HttpRequest, queryset: QuerySet[Supporter]) -> None:
        """For a request made by post or by phone: the same erasure as the supporter's own link."""
        by = acting_user(request)
        done = 0
        for supporter in queryset.exclude(status=Supporter.Status.ERASED):
            supporter_erase(supporter=supporter, by=by)
            done += 1
        self.message_user(request, _("%(n)s supporter(s) erased.") % {"n": done}, messages.SUCCESS)
