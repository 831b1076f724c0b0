"""Research reports, their attachments, and the states and records they are about."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalition.research.models.casualties import Casualty
from coalition.research.models.places import ContaminatedArea, Strike
from coalition.research.models.review import Reviewable
from coalition.states.models import State


class Report(Reviewable):
    """A research report with its attachments, linked to the states and records it is about."""

    KIND = "report"
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    states = models.ManyToManyField(State, blank=True, related_name="+", verbose_name=_("states"))
    strikes = models.ManyToManyField(Strike, blank=True, related_name="reports", verbose_name=_("strikes"))
    casualties = models.ManyToManyField(Casualty, blank=True, related_name="reports", verbose_name=_("casualties"))
    areas = models.ManyToManyField(
        ContaminatedArea, blank=True, related_name="reports", verbose_name=_("contaminated areas")
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:report", args=[self.pk])


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="research/attachments/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
