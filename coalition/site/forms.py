from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.events.photos import PHOTO_TYPES, photo_extension
from coalition.lib.forms import InputRulesMixin
from coalition.site.models import RESERVED_SLUGS, Page, PageFile, PageTranslation

FILE_MAX_BYTES = 20 * 1024 * 1024
PDF_TYPE = "application/pdf"
NOT_A_PAGE_FILE = _("A picture must be a JPEG, PNG, GIF or WebP file; a download a PDF file.")


def page_file_type(file: Any, kind: str) -> str | None:
    """The content type the uploaded file really holds, if the site offers that kind of file; else None.

    Read from the content, never from the name or the browser's word: a page's downloads are served with this type.
    """
    extension = photo_extension(file)
    if extension is not None:
        return next(mime for mime, ext in PHOTO_TYPES.items() if ext == extension)
    if kind == PageFile.Kind.DOWNLOAD:
        file.seek(0)
        head = file.read(5)
        file.seek(0)
        if head == b"%PDF-":
            return PDF_TYPE
    return None


class PageForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = Page
        fields = ["slug", "original_language", "published", "in_menu", "menu_order"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is taken by the site; choose another."))
        return slug


class PageTranslationForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = PageTranslation
        fields = ["language", "title", "summary", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "dir": "auto"})}


class PageFileForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = PageFile
        fields = ["kind", "title", "language", "file", "order"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None and hasattr(upload, "content_type") and not getattr(upload, "_committed", False):
            if upload.size > FILE_MAX_BYTES:
                self.add_error("file", _("The file is larger than 20 MB."))
                return cleaned
            content_type = page_file_type(upload, cleaned.get("kind") or PageFile.Kind.DOWNLOAD)
            if content_type is None:
                self.add_error("file", NOT_A_PAGE_FILE)
                return cleaned
            self.instance.content_type = content_type
            self.instance.original_name = (upload.name or "file")[:200]
            self.instance.size = upload.size
        elif (
            self.instance.pk
            and cleaned.get("kind") == PageFile.Kind.PICTURE
            and not self.instance.content_type.startswith("image/")
        ):
            self.add_error("kind", NOT_A_PAGE_FILE)
        return cleaned
