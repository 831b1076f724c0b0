from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coalition.core.audit import acting_user, audit_record, form_changes
from coalition.letters import services
from coalition.letters.models import Action, Message, Person, Position, PositionBounce, Reply, Term


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = [
        "person",
        "started_on",
        "ended_on",
        "party",
        "email",
        "postal_address",
        "language",
        "verified_on",
        "source",
    ]
    autocomplete_fields = ["person"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "role", "constituency", "holder", "bounce_count"]
    list_filter = ["role", "state__status", ("current_term", admin.EmptyFieldListFilter)]
    search_fields = ["title", "key", "constituency", "current_term__person__name"]
    list_select_related = ["state", "current_term__person"]
    readonly_fields = ["current_term", "bounce_count", "last_bounce_at"]
    autocomplete_fields = ["state"]
    inlines = [TermInline]

    @admin.display(description=_("holder"))
    def holder(self, position: Position) -> str:
        return position.holder_name or str(_("vacant"))

    def save_related(self, request: HttpRequest, form: object, formsets: object, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        from coalition.letters.importing.writing import positions_refresh_current_term

        positions_refresh_current_term(position_ids={form.instance.pk})  # type: ignore[attr-defined]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "wikidata"]
    search_fields = ["name", "key", "wikidata"]


@admin.register(PositionBounce)
class PositionBounceAdmin(admin.ModelAdmin):
    list_display = ["position", "email", "recorded_at", "reason"]
    list_select_related = ["position"]
    readonly_fields = ["position", "email", "reason", "message", "recorded_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "target", "starts_on", "ends_on", "confirmed_count", "sent_count", "links"]
    list_filter = ["status", "target"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["positions"]
    readonly_fields = ["confirmed_count", "sent_count", "created_by", "created_at"]
    # Languages and versions are edited in the action editor (letters:editor), not as JSON here.
    exclude = ["languages", "translations"]
    actions = ["publish"]

    @admin.display(description=_("pages"))
    def links(self, action: Action) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("letters:editor", args=[action.slug]),
            _("editor"),
            reverse("letters:preview", args=[action.slug]),
            _("preview"),
            reverse("letters:staff-action", args=[action.slug]),
            _("messages"),
        )

    def save_model(self, request: HttpRequest, obj: Action, form: object, change: bool) -> None:
        if not change:
            obj.created_by = acting_user(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected actions"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Action]) -> None:
        for action in queryset:
            services.action_publish(action=action, by=acting_user(request))
        self.message_user(request, _("Published."), messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "action", "recipient_title", "status", "send_after", "sent_at", "attempts", "hold_reason"]
    list_filter = ["status", "action"]
    list_select_related = ["action"]
    search_fields = ["recipient_title", "recipient_name", "message_id"]
    # The writer's details and the delivery record are facts, not for editing; staff release or reject.
    readonly_fields = [f.name for f in Message._meta.fields]
    exclude = ["signature"]
    actions = ["release", "reject"]

    @admin.action(description=_("Release the selected held messages"), permissions=["change"])
    def release(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        by = acting_user(request)
        done = sum(services.message_release(message=m, by=by) for m in queryset.filter(status=Message.Status.HELD))
        self.message_user(request, _("%(n)s message(s) queued.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected held messages"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        by = acting_user(request)
        done = sum(services.message_reject(message=m, by=by) for m in queryset.filter(status=Message.Status.HELD))
        self.message_user(request, _("%(n)s message(s) rejected.") % {"n": done}, messages.SUCCESS)


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["position", "action", "received_on", "stance", "public"]
    list_filter = ["stance", "public", "action"]
    autocomplete_fields = ["position"]
    readonly_fields = ["logged_by", "logged_at"]

    def save_model(self, request: HttpRequest, obj: Reply, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            changed = form_changes(form)
            if changed:
                audit_record(by=acting_user(request), action="reply.change", target=obj, detail={"fields": changed})
            return
        reply = services.reply_log(
            action=obj.action,
            position=obj.position,
            summary=obj.summary,
            stance=obj.stance,
            received_on=obj.received_on,
            public=obj.public,
            by=acting_user(request),
        )
        obj.pk = reply.pk
