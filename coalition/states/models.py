"""States on the way to the treaty, the dated events behind their status, facts, measures and meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from coalition.states import obligations, treaty


class Region(models.TextChoices):
    AFRICA = "Africa", _("Africa")
    AMERICAS = "Americas", _("Americas")
    ASIA = "Asia", _("Asia")
    EUROPE = "Europe", _("Europe")
    OCEANIA = "Oceania", _("Oceania")


class TreatyStatus(models.TextChoices):
    STATE_PARTY = treaty.STATE_PARTY, _("State party")
    SIGNATORY = treaty.SIGNATORY, _("Signatory")
    NON_SIGNATORY = treaty.NON_SIGNATORY, _("Non-signatory")


# The treaty columns of `State`: derived from its events (`services.states_refresh_status`), never typed.
TREATY_STATUS_FIELDS = [
    "status",
    "signed",
    "ratified",
    "method",
    "entry_into_force",
    "entry_into_force_derived",
    "withdrawn",
]


class State(models.Model):
    """A state, keyed by its ISO 3166-1 alpha-3 code.

    The treaty columns (status, signed, ratified…) are a cache of `treaty.derive_status` over the
    state's events, written only by `services.state_refresh_status`; nobody types them.
    """

    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, primary_key=True)
    country = CountryField(_("country"), unique=True)
    # The reference name (UN style, e.g. "Holy See"); also the fallback where no translation exists.
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    subregion = models.CharField(_("subregion"), max_length=50, blank=True)

    status = models.CharField(
        _("treaty status"),
        max_length=20,
        choices=TreatyStatus.choices,
        default=TreatyStatus.NON_SIGNATORY,
        editable=False,
        db_index=True,
    )
    signed = models.DateField(_("signed"), null=True, blank=True, editable=False)
    ratified = models.DateField(_("ratified or acceded"), null=True, blank=True, editable=False)
    method = models.CharField(_("method"), max_length=20, blank=True, editable=False)
    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True, editable=False)
    entry_into_force_derived = models.BooleanField(default=False, editable=False)
    withdrawn = models.DateField(_("withdrawal effective"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("states:detail", args=[self.iso3])

    @property
    def display_name(self) -> str:
        """The name in the active language: English keeps the reference name, others use django-countries."""
        language = (translation.get_language() or "en").split("-")[0]
        if language == "en":
            return self.name
        return str(countries.name(str(self.country))) or self.name


class TreatyEvent(models.Model):
    """One dated step in a state's history with the treaty, with its source.

    Events are never deleted: a corrected date supersedes the old event, which stays as history.
    """

    class Kind(models.TextChoices):
        SIGNATURE = treaty.SIGNATURE, _("Signed")
        RATIFICATION = treaty.RATIFICATION, _("Ratified")
        ACCESSION = treaty.ACCESSION, _("Acceded")
        ENTRY_INTO_FORCE = treaty.ENTRY_INTO_FORCE, _("Entry into force")
        WITHDRAWAL_EFFECTIVE = treaty.WITHDRAWAL_EFFECTIVE, _("Withdrawal took effect")
        DECLARATION_ENDORSED = "declaration_endorsed", _("Declaration endorsed")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("date"))
    # True where the date was computed (Article 17) rather than read in a source.
    derived = models.BooleanField(_("derived"), default=False)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. the declaration's name"))
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes", editable=False
    )
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("treaty event")
        verbose_name_plural = _("treaty events")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "kind", "date", "title"],
                condition=models.Q(superseded_by__isnull=True),
                name="states_one_current_event_per_kind_and_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind} {self.date}"

    def as_status_event(self) -> treaty.StatusEvent:
        return treaty.StatusEvent(kind=self.kind, date=self.date, derived=self.derived)


class StateFact(models.Model):
    """A fact about a state's relation to the weapon, as a source gave it on a date."""

    class Kind(models.TextChoices):
        STOCKPILER = "stockpiler", _("Stockpiler")
        PRODUCER = "producer", _("Producer")
        PAST_USER = "past_user", _("Past user")
        AFFECTED = "affected", _("Affected by cluster munition remnants")
        TRANSFERRED = "transferred", _("Transferred (exported or imported)")

    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        FORMER = "former", _("Formerly")
        UNCLEAR = "unclear", _("Unclear")
        NO = "no", _("No")

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("fact"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=10, choices=Value.choices, default=Value.YES)
    as_of = models.DateField(_("as of"))
    # The source's own wording where it gives no exact date ("undated (after 2015-07)"); shown instead of `as_of`.
    as_of_label = models.CharField(_("as of (as the source says)"), max_length=60, blank=True)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["kind", "-as_of"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "kind", "value", "as_of", "source"], name="states_one_fact_value_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind}={self.value} ({self.as_of})"


class NationalMeasure(models.Model):
    """A national measure that reduces or ends civilian harm; changed only through services, which log each change."""

    class Kind(models.TextChoices):
        MORATORIUM = "moratorium", _("Moratorium on use")
        LEGISLATION = "legislation", _("National legislation")
        STOCKPILE_DESTRUCTION = "stockpile_destruction", _("Stockpile destruction")
        INVESTMENT_BAN = "investment_ban", _("Ban on investment")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_PROGRESS = "in_progress", _("In progress")
        IN_FORCE = "in_force", _("In force")
        COMPLETED = "completed", _("Completed")
        LAPSED = "lapsed", _("Lapsed or repealed")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    description = models.TextField(_("description"), blank=True)
    started = models.DateField(_("start or adoption date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completed = models.DateField(_("completion date"), null=True, blank=True)
    # The source gives only the year: `completed` is then 31 December of it, and pages show the year alone.
    completed_year_only = models.BooleanField(_("only the year is known"), default=False)
    munitions_destroyed = models.PositiveBigIntegerField(_("munitions destroyed"), null=True, blank=True)
    munitions_remaining = models.PositiveBigIntegerField(_("munitions remaining"), null=True, blank=True)
    submunitions_destroyed = models.PositiveBigIntegerField(_("submunitions destroyed"), null=True, blank=True)
    submunitions_remaining = models.PositiveBigIntegerField(_("submunitions remaining"), null=True, blank=True)
    source = models.TextField(_("source"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("national measure")
        verbose_name_plural = _("national measures")

    def __str__(self) -> str:
        return f"{self.state_id}: {self.title}"


class NationalMeasureChange(models.Model):
    """Who changed a measure, when, and each field's value before and after."""

    measure = models.ForeignKey(NationalMeasure, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so the history still says who after the account is erased.
    changed_by_name = models.CharField(max_length=200)
    changed_at = models.DateTimeField(auto_now_add=True)
    created = models.BooleanField(default=False)
    changes = models.JSONField(default=dict)  # {field: [before, after]} as strings

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("change to a national measure")
        verbose_name_plural = _("changes to national measures")

    def __str__(self) -> str:
        return f"{self.measure_id} by {self.changed_by_name} at {self.changed_at:%Y-%m-%d %H:%M}"


class ReferenceRelease(models.Model):
    """One load of the reference data: as of which date it is current, and what it changed."""

    as_of = models.DateField(_("current as of"))
    loaded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-as_of", "-loaded_at"]
        get_latest_by = ["as_of", "loaded_at"]

    def __str__(self) -> str:
        return f"{self.source} as of {self.as_of}"


class Meeting(models.Model):
    """An international meeting of the treaty process."""

    class Kind(models.TextChoices):
        OSLO_PROCESS_CONFERENCE = "oslo_process_conference", _("Oslo Process conference")
        DIPLOMATIC_CONFERENCE = "diplomatic_conference", _("Diplomatic conference")
        SIGNING_CONFERENCE = "signing_conference", _("Signing conference")
        MEETING_OF_STATES_PARTIES = "meeting_of_states_parties", _("Meeting of States Parties")
        REVIEW_CONFERENCE = "review_conference", _("Review Conference")
        OTHER = "other", _("Other meeting")

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings_hosted", verbose_name=_("host")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = [models.F("start").asc(nulls_last=True), "name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.slug])


class Participation(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        OBSERVER = "observer", _("Observer")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["state__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "state"], name="states_one_participation_per_state")]

    def __str__(self) -> str:
        return f"{self.state_id} at {self.meeting_id} ({self.role})"


class Statement(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="statements")
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="statements")
    speaker = models.CharField(_("speaker"), max_length=200, blank=True, help_text=_("Who spoke, if not a state"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.title or f"{self.state_id or self.speaker} at {self.meeting_id}"


class OutcomeDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcome_documents")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    adopted = models.DateField(_("adopted"), null=True, blank=True)

    class Meta:
        ordering = ["adopted", "title"]

    def __str__(self) -> str:
        return self.title


class ObligationRecord(models.Model):
    """A dated record staff enter about a state party's treaty obligations; statuses are derived from these.

    Checked by `services.obligation_record_add` (no future date, an extension later than the deadline it extends).
    """

    class Kind(models.TextChoices):
        INITIAL_REPORT_RECEIVED = obligations.INITIAL_REPORT_RECEIVED, _("Initial transparency report received")
        ANNUAL_REPORT_RECEIVED = obligations.ANNUAL_REPORT_RECEIVED, _("Annual transparency report received")
        STOCKPILE_DESTROYED = obligations.STOCKPILE_DESTROYED, _("Stockpile destruction completed")
        CLEARANCE_COMPLETED = obligations.CLEARANCE_COMPLETED, _("Clearance completed")
        EXTENSION_GRANTED = obligations.EXTENSION_GRANTED, _("Extension granted")
        NATIONAL_MEASURES_REPORTED = (
            obligations.NATIONAL_MEASURES_REPORTED,
            _("National implementation measures reported"),
        )

    class Article(models.TextChoices):
        STOCKPILE_DESTRUCTION = obligations.STOCKPILE_DESTRUCTION, _("Article 3 (stockpile destruction)")
        CLEARANCE = obligations.CLEARANCE, _("Article 4 (clearance)")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="obligation_records")
    kind = models.CharField(_("record"), max_length=40, choices=Kind.choices)
    date = models.DateField(
        _("date"), help_text=_("When the report was received, the work completed or the extension granted.")
    )
    period = models.PositiveSmallIntegerField(
        _("year covered"), null=True, blank=True, help_text=_("For an annual report: the calendar year it covers.")
    )
    article = models.CharField(_("article extended"), max_length=5, choices=Article.choices, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "date", "id"]
        verbose_name = _("obligation record")
        verbose_name_plural = _("obligation records")

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind} {self.date}"

    def as_record(self) -> obligations.Record:
        return obligations.Record(
            kind=self.kind,
            date=self.date,
            source=self.source,
            article=self.article,
            new_deadline=self.new_deadline,
            period=self.period,
        )


class ObligationNotice(models.Model):
    """Sent-once marker: the campaigners' digest said this obligation reached this status for this deadline."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    article = models.CharField(max_length=5)
    status = models.CharField(max_length=20)
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "article", "status", "due"], name="states_one_notice_per_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.article} {self.status} {self.due}"


class StateAsks(models.Model):
    """What the campaign asks of a state: a short Markdown text campaigners edit; shown to coalition users only."""

    state = models.OneToOneField(State, on_delete=models.CASCADE, related_name="asks", primary_key=True)
    text = models.TextField(_("asks"), blank=True, help_text=_("Markdown; a few lines."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("the campaign's asks")
        verbose_name_plural = _("the campaign's asks")

    def __str__(self) -> str:
        return f"{self.state_id} asks"
