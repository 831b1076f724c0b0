from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import services
from coalition.accounts.models import User
from coalition.core.audit import acting_user, audit_record, form_changes

# What decides who can log in and what they may do: a change to any of these goes in the audit trail.
ACCESS_FIELDS = ("email", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "two_factor", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["two_factor_reset"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        has_app = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(has_app))

    @admin.display(description=_("two factors"), boolean=True, ordering="has_two_factor")
    def two_factor(self, user: Any) -> bool:
        return bool(getattr(user, "has_two_factor", False))

    @admin.action(
        description=_("Reset two-factor authentication (lost phone and recovery codes)"), permissions=["change"]
    )
    def two_factor_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For someone who lost both their phone and their recovery codes: they set it up again at their next
        log-in (where two factors are required) or when they choose to."""
        by = acting_user(request)
        for user in queryset:
            services.two_factor_remove(user=user, by=by)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication was reset for %(count)d account.",
                "Two-factor authentication was reset for %(count)d accounts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # roles (groups) are saved here
        if not change:
            audit_record(by=acting_user(request), action="user.create", target=form.instance)
        elif changed := form_changes(form, ACCESS_FIELDS):
            audit_record(by=acting_user(request), action="user.change", target=form.instance, detail=changed)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        if request.resolver_match is not None and request.resolver_match.url_name == "auth_user_password_change":
            # Setting someone else's password gives access to their account.
            detail = {"usable": obj.has_usable_password()}
            audit_record(by=acting_user(request), action="user.set_password", target=obj, detail=detail)
        return entry


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A role is a group: what its permissions become is recorded, as a change of everyone's access who holds it."""

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = form_changes(form)
        if not change or changed:
            action = "group.change" if change else "group.create"
            audit_record(by=acting_user(request), action=action, target=form.instance, detail=changed)
