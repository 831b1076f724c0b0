"""Campaign pages that campaigners write and translate, and the files they offer (docs/decisions/1001)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Paths under /pages/ that a page's slug can never take.
RESERVED_SLUGS = frozenset({"files", "new", "edit"})


class Page(models.Model):
    """One page of the campaign ("the problem", "the treaty"…): its address and its place in the menu."""

    slug = models.SlugField(
        _("address"), max_length=80, unique=True, help_text=_("The page lives at /pages/<address>/.")
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    published = models.BooleanField(_("published"), default=False)
    in_menu = models.BooleanField(_("shown in the menu"), default=True)
    menu_order = models.PositiveSmallIntegerField(
        _("place in the menu"), default=10, validators=[MaxValueValidator(1000)], help_text=_("Smaller comes first.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["menu_order", "slug"]
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign pages")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("pages:page", kwargs={"slug": self.slug})


class PageTranslation(models.Model):
    """The page in one language: its title and its body in Markdown."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for the menu and links.")
    )
    body = models.TextField(
        _("text"),
        help_text=_("Markdown. A picture uploaded below is shown with ![what it shows](its address)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["page", "language"]
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="one_translation_per_language")]
        verbose_name = _("version in a language")
        verbose_name_plural = _("versions in other languages")

    def __str__(self) -> str:
        return f"{self.page.slug} ({self.language})"


def _page_file_path(instance: PageFile, filename: str) -> str:
    """A stored name of our choosing (the page and a timestamp), ending as the content is: never the upload's name."""
    extension = {"application/pdf": ".pdf"}.get(instance.content_type)
    if extension is None:
        from coalition.events.photos import PHOTO_TYPES

        extension = PHOTO_TYPES.get(instance.content_type, ".bin")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"pages/{instance.page_id}/{stamp}{extension}"


class PageFile(models.Model):
    """A picture shown in a page, or a document (a fact sheet, a report) offered for download from it."""

    class Kind(models.TextChoices):
        PICTURE = "picture", _("Picture shown in the text")
        DOWNLOAD = "download", _("Document to download")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DOWNLOAD)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    file = models.FileField(_("file"), upload_to=_page_file_path)
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=10, validators=[MaxValueValidator(1000)])
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("file")
        verbose_name_plural = _("pictures and downloads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("pages:file", kwargs={"slug": self.page.slug, "pk": self.pk})


class StaffDigestNotice(models.Model):
    """That a staff member was told, in a work digest, that an entry entered one of their queues.

    One row per person and entry: the hourly digest (site/digest.py) never tells anyone twice. Rows of entries that
    have left their queue are removed, so an entry that comes back (an event resubmitted) is announced again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    queue = models.CharField(max_length=40)
    entry_id = models.PositiveBigIntegerField()
    told_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "queue", "entry_id"], name="one_digest_notice_per_entry"),
        ]
        indexes = [models.Index(fields=["queue", "entry_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.queue} {self.entry_id}"
