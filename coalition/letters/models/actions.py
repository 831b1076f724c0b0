"""Actions: a letter template sent to officials chosen by a targeting rule, with a goal and live counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.letters import merge
from coalition.letters.models.officials import Position, Role
from coalition.lib.forms import validate_single_line
from coalition.lib.versions import LanguageVersion
from coalition.states.models import State, TreatyStatus

# The fields an action has in each language.
TRANSLATED_FIELDS = ("title", "ask", "background", "letter_subject", "letter_template")


@dataclass(frozen=True)
class Version(LanguageVersion):
    """An action's words in one language (the original, or a version)."""

    title: str
    ask: str
    background: str
    letter_subject: str
    letter_template: str


class Action(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Target(models.TextChoices):
        OWN_STATE = "own_state", _("The supporter's own state's officials")
        FIXED = "fixed", _("A fixed list of officials")
        ROLE_BY_STATUS = "role_by_status", _("All officials of a role in states with a treaty status")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    ask = models.TextField(_("the ask"), help_text=_("What the officials are asked to do, in one or two sentences."))
    background = models.TextField(_("background"), blank=True)
    letter_subject = models.CharField(
        _("subject of the letter"),
        max_length=200,
        help_text=_("May name the official or the writer: {{ official_name }}, {{ supporter_town }}…"),
    )
    letter_template = models.TextField(
        _("letter template"),
        help_text=_(
            "The body of the letter only: the greeting and the writer's signature are added for each official."
        ),
    )
    goal = models.PositiveIntegerField(_("goal (letters)"), default=1000)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The language the action was written in, and its versions in others: {"fr": {"title": …}, …} (decision 0505).
    language = models.CharField(_("original language"), max_length=10, choices=settings.LANGUAGES, default="en")
    translations = models.JSONField(_("versions in other languages"), default=dict, blank=True)
    # The languages the action is offered in (the editor's choice; each one other than the original has a version).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    target = models.CharField(_("targeting rule"), max_length=20, choices=Target.choices, default=Target.OWN_STATE)
    target_role = models.CharField(
        _("role targeted"),
        max_length=30,
        choices=Role.choices,
        blank=True,
        help_text=_("For the own-state and treaty-status rules; empty means every role (own-state rule only)."),
    )
    target_treaty_status = models.CharField(
        _("treaty status targeted"), max_length=20, choices=TreatyStatus.choices, blank=True
    )
    positions = models.ManyToManyField(
        Position, verbose_name=_("officials (fixed list)"), blank=True, related_name="actions"
    )
    show_replies = models.BooleanField(_("show public replies on the action page"), default=True)
    # Kept counts, moved in the same transaction as the messages they count; pages never recount.
    confirmed_count = models.PositiveIntegerField(_("messages confirmed"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("messages sent"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Its goal, dates and targeting: edited together in the action's form, kept field by field in the audit trail.
    PLAN_FIELDS = ("goal", "starts_on", "ends_on", "target", "target_role", "target_treaty_status")

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("letters:action", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        unknown = merge.unknown_fields(self.letter_subject)
        if unknown:
            errors["letter_subject"] = _("Unknown merge field(s): %(fields)s. Known: %(known)s.") % {
                "fields": ", ".join(sorted(unknown)),
                "known": ", ".join(merge.FIELDS),
            }
        templates = [self.letter_template] + [str(v.get("letter_template", "")) for v in self.translations.values()]
        if any(merge.has_fields(template) for template in templates):
            errors["letter_template"] = _(
                "Write the body only, without {{ … }}: the greeting and the signature are added for each official."
            )
        try:
            validate_single_line(self.letter_subject)  # it becomes the e-mail's Subject header
        except ValidationError as exc:
            errors["letter_subject"] = exc.messages
        if self.target == self.Target.ROLE_BY_STATUS and not (self.target_role and self.target_treaty_status):
            errors["target_treaty_status"] = _("This rule needs both a role and a treaty status.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date is before the start date.")
        if errors:
            raise ValidationError(errors)

    def version(self, language: str | None) -> Version:
        """The action as a visitor reading `language` gets it: that language's version, else the original."""
        wanted = (language or "").split("-")[0]
        found = self.translations.get(wanted) if wanted != self.language else None
        if not found or not found.get("title") or not found.get("letter_template"):
            return Version(self.language, wanted or self.language, *(getattr(self, f) for f in TRANSLATED_FIELDS))
        values = [
            str(found.get(f) or "") or (getattr(self, f) if f == "letter_subject" else "") for f in TRANSLATED_FIELDS
        ]
        return Version(wanted, wanted, *values)

    def is_live(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.PUBLISHED
            and self.starts_on <= today  # type: ignore[operator]
            and (self.ends_on is None or self.ends_on >= today)  # type: ignore[operator]
        )

    @property
    def has_ended(self) -> bool:
        return self.ends_on is not None and self.ends_on < timezone.localdate()

    @property
    def progress_percent(self) -> int:
        if not self.goal:
            return 100
        return min(100, round(100 * self.confirmed_count / self.goal))


class ActionCount(models.Model):
    """Messages confirmed and sent for one action to one position (and so to its state), kept as counts."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="counts")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="action_counts")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    confirmed = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "position"], name="letters_one_count_per_target")]
        indexes = [models.Index(fields=["action", "state"])]

    def __str__(self) -> str:
        return f"{self.action_id}/{self.position_id}: {self.confirmed} confirmed, {self.sent} sent"
