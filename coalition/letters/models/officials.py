"""Officials as positions: the position belongs to a state, people hold it for dated terms.

Actions target positions, so a change of government is one import that closes a term and opens
another, never a new action.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.states.models import State


class Role(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of state")
    HEAD_OF_GOVERNMENT = "head_of_government", _("Head of government")
    FOREIGN_MINISTER = "foreign_minister", _("Minister of foreign affairs")
    DEFENCE_MINISTER = "defence_minister", _("Minister of defence")
    PERMANENT_REPRESENTATIVE = "permanent_representative", _("Permanent representative in Geneva")
    AMBASSADOR = "ambassador", _("Ambassador")
    MEMBER_OF_PARLIAMENT = "member_of_parliament", _("Member of parliament")
    OTHER = "other", _("Other official")


class Position(models.Model):
    """A post such as "Minister of Foreign Affairs of Norway"; its holder changes, the position stays."""

    # The identifier in the source (Popolo post id, or the CSV's position_id): re-imports update in place.
    key = models.CharField(_("identifier"), max_length=200, unique=True)
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.OTHER)
    title = models.CharField(_("title"), max_length=200)
    constituency = models.CharField(_("region or constituency"), max_length=200, blank=True)
    # Kept up to date by the import and by delivery, so pages never look for the current term.
    current_term = models.ForeignKey(
        "Term", verbose_name=_("current term"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bounce_count = models.PositiveIntegerField(_("bounces"), default=0)
    last_bounce_at = models.DateTimeField(_("last bounce"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["state__name", "role", "constituency", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        indexes = [models.Index(fields=["state", "role"]), models.Index(fields=["role", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_vacant(self) -> bool:
        return self.current_term_id is None

    @property
    def holder_name(self) -> str:
        return self.current_term.person.name if self.current_term else ""

    @property
    def email(self) -> str:
        return self.current_term.email if self.current_term else ""

    @property
    def is_unverified(self) -> bool:
        """No date of verification, or one older than LETTERS_VERIFIED_DAYS (needs the current term loaded)."""
        term = self.current_term
        if term is None:
            return False
        if term.verified_on is None:
            return True
        return term.verified_on < timezone.localdate() - timedelta(days=settings.LETTERS_VERIFIED_DAYS)


class Person(models.Model):
    # The identifier in the source (Popolo person id, or the CSV's person_id).
    key = models.CharField(_("identifier"), max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Wikidata's item (Q…): the same person in another file, whatever that file calls them (decision 0504).
    wikidata = models.CharField(_("Wikidata item"), max_length=20, blank=True)
    # Every identifier the source gave, {scheme: identifier} (Popolo `identifiers`), kept for later matching.
    identifiers = models.JSONField(_("identifiers"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata"], condition=~models.Q(wikidata=""), name="letters_person_unique_wikidata"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A person holding a position from one date to another (open-ended while `ended_on` is empty)."""

    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="terms")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="terms")
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The party or group the person sat for during this term (Popolo `on_behalf_of`).
    party = models.CharField(_("party"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)

    class Meta:
        ordering = ["position", "-started_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(ended_on__isnull=True), name="letters_one_open_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.position} ({self.started_on or '?'} – {self.ended_on or ''})"

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.ended_on is None or self.ended_on >= today


class PositionBounce(models.Model):
    """A message to an official's address that came back; recorded against the position, apart from
    supporters' bounces, so staff can fix the address."""

    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="bounces")
    email = models.EmailField(_("address"))
    reason = models.TextField(_("reason"))
    message = models.ForeignKey(
        "letters.Message", verbose_name=_("message"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("bounce from an official's address")
        verbose_name_plural = _("bounces from officials' addresses")

    def __str__(self) -> str:
        return f"{self.email}: {self.reason[:60]}"
