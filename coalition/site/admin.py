"""Campaigners write and translate the campaign pages here (permission `campaign_site.change_page`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coalition.core.audit import acting_user, form_changes
from coalition.site import services
from coalition.site.forms import PageFileForm, PageForm, PageTranslationForm
from coalition.site.models import Page, PageFile, PageTranslation


class PageTranslationInline(admin.StackedInline):
    model = PageTranslation
    form = PageTranslationForm
    extra = 0
    min_num = 1


class PageFileInline(admin.TabularInline):
    model = PageFile
    form = PageFileForm
    extra = 0
    fields = ["kind", "title", "language", "file", "order", "address"]
    readonly_fields = ["address"]

    @admin.display(description=_("address to use in the text"))
    def address(self, item: PageFile) -> str:
        return item.get_absolute_url() if item.pk else "—"


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["slug", "title", "published", "in_menu", "menu_order", "languages", "view"]
    list_filter = ["published", "in_menu"]
    search_fields = ["slug", "translations__title"]
    inlines = [PageTranslationInline, PageFileInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Page]:
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("title"))
    def title(self, page: Page) -> str:
        versions = {t.language: t.title for t in page.translations.all()}
        return versions.get(page.original_language) or next(iter(versions.values()), "")

    @admin.display(description=_("languages"))
    def languages(self, page: Page) -> str:
        return ", ".join(sorted(t.language for t in page.translations.all()))

    @admin.display(description=_("page"))
    def view(self, page: Page) -> str:
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), _("View"))

    def save_model(self, request: HttpRequest, obj: Page, form: ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Kept on the request (the admin object is shared by every request) until the versions are saved too.
        request._page_changes = form_changes(form)  # type: ignore[attr-defined]

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseInlineFormSet, change: bool
    ) -> None:
        changed = sorted(
            {
                f"{getattr(f.instance, 'language', '') or ''} {name}".strip()
                for f in formset.forms
                if f.has_changed()
                for name in f.changed_data
            }
            | {"deleted" for f in formset.deleted_forms}
        )
        super().save_formset(request, form, formset, change)
        if changed:
            request._page_changes[formset.prefix] = changed  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changes = getattr(request, "_page_changes", {})
        services.page_changed(page=form.instance, by=acting_user(request), created=not change, changes=changes)

    def delete_model(self, request: HttpRequest, obj: Page) -> None:
        services.page_deleted(page=obj, by=acting_user(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        for page in queryset:
            services.page_deleted(page=page, by=acting_user(request))
        super().delete_queryset(request, queryset)
