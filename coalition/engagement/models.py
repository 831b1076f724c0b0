"""Engagement with governments: meetings with officials, their commitments, follow-ups, and the coalition's
delegations to treaty meetings with lobbying assignments.

Nothing here is public. Who may read and write what is decided in `selectors` (access helpers) and
`services` (writes); every write is on the audit trail (docs/decisions/0701-engagement.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.letters.models import Person, Position
from coalition.members.models import Organisation
from coalition.states.models import Meeting, State


class Topic(models.TextChoices):
    """The short list of what a meeting was about; anything else goes in `topics_other`."""

    JOINING = "joining", _("Joining the Convention")
    RATIFICATION = "ratification", _("Ratification")
    LEGISLATION = "legislation", _("National legislation")
    STOCKPILES = "stockpiles", _("Stockpile destruction")
    CLEARANCE = "clearance", _("Clearance")
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
    INVESTMENT = "investment", _("Investment ban")
    USE = "use", _("Use of cluster munitions")
    MEETINGS = "meetings", _("Treaty meetings")


class Visibility(models.TextChoices):
    COALITION = "coalition", _("The coalition (staff and member organisations' editors)")
    RESTRICTED = "restricted", _("Restricted: staff and the recording organisation")


class OfficialMeeting(models.Model):
    """A meeting (or call, or exchange of letters) of coalition people with officials of one state."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        CALL = "call", _("Call or video call")
        LETTERS = "letters", _("Exchange of letters")

    class Stance(models.TextChoices):
        """What the state said about joining or implementing the Convention."""

        NOT_STATED = "not_stated", _("Not stated")
        SUPPORTIVE = "supportive", _("Supportive")
        CONSIDERING = "considering", _("Considering it")
        UNDECIDED = "undecided", _("Undecided")
        OPPOSED = "opposed", _("Opposed")

    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official_meetings",
        help_text=_("Empty: the coalition's staff."),
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    topics_other = models.CharField(_("other topics"), max_length=200, blank=True)
    stated_position = models.CharField(
        _("stated position"), max_length=12, choices=Stance.choices, default=Stance.NOT_STATED
    )
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Markdown: **bold**, *italic*, lists, links."))
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.COALITION
    )
    delegation = models.ForeignKey(
        "Delegation",
        verbose_name=_("delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bilaterals",
        help_text=_("A bilateral held during a treaty meeting."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting with officials")
        verbose_name_plural = _("meetings with officials")
        indexes = [
            models.Index(fields=["state", "held_on"]),
            models.Index(fields=["organisation", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:meeting", args=[self.pk])

    @property
    def is_restricted(self) -> bool:
        return self.visibility == Visibility.RESTRICTED

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        names = [str(labels.get(code, code)) for code in self.topics]
        return [*names, self.topics_other] if self.topics_other else names


class OfficialMet(models.Model):
    """One official at the meeting: a position of the letters app (and who held it on the day), or free text."""

    meeting = models.ForeignKey(OfficialMeeting, on_delete=models.CASCADE, related_name="officials")
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What was known on the day: the holder's name and the title, kept when the position changes hands.
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("official met")
        verbose_name_plural = _("officials met")

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.title) if part)


class Attendee(models.Model):
    """Someone who went for the coalition, and for which member organisation."""

    meeting = models.ForeignKey(OfficialMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(_("organisation (as written)"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("coalition attendee")
        verbose_name_plural = _("coalition attendees")

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


class Commitment(models.Model):
    """Something the state said it would do, followed until it is kept or broken."""

    class Status(models.TextChoices):
        MADE = "made", _("Made")
        IN_PROGRESS = "in_progress", _("In progress")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    OPEN = (Status.MADE, Status.IN_PROGRESS)

    meeting = models.ForeignKey(OfficialMeeting, on_delete=models.CASCADE, related_name="commitments")
    # The meeting's state, kept here so a state's commitments are read without the meeting.
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("commitment"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.MADE)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["state", "status"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(OfficialMeeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="engagement/attachments/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("engagement:attachment", args=[self.meeting_id, self.pk])


class FollowUp(models.Model):
    """A task for one person: born from a meeting or a commitment, or free-standing."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("what to do"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        OfficialMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("official"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class FollowUpReminder(models.Model):
    """The marker that a reminder went: one row per follow-up and kind, written in the transaction that queues
    the e-mail, so two workers (or a run after a crash) can never send the same reminder twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("A few days before")
        DUE = "due", _("On the due date")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()  # the due date it reminded of: a new date gets new reminders
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "kind", "due_on"], name="engagement_one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.kind} {self.due_on}"


class Delegation(models.Model):
    """The coalition's delegation to one treaty meeting."""

    meeting = models.OneToOneField(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes for the delegation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return str(self.meeting)

    def get_absolute_url(self) -> str:
        return reverse("delegation:detail", args=[self.meeting.slug])


class Delegate(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="delegates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    arrives_on = models.DateField(_("arrives on"), null=True, blank=True)
    leaves_on = models.DateField(_("leaves on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [models.UniqueConstraint(fields=["delegation", "user"], name="engagement_one_seat_each")]

    def __str__(self) -> str:
        return self.user.full_name or self.user.email


class Assignment(models.Model):
    """Which delegate covers which state's delegation at the meeting, and what to ask of it."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="assignments")
    delegate = models.ForeignKey(Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+")
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    asks = models.TextField(_("the asks"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("lobbying assignment")
        verbose_name_plural = _("lobbying assignments")
        constraints = [
            models.UniqueConstraint(fields=["delegation", "state"], name="engagement_one_delegate_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.state_id} → {self.delegate_id}"


class DelegationBriefs(models.Model):
    """One PDF of the country briefs of every state assigned in a delegation, built by a task for the person who
    asked: in their language, with the restricted parts only they may read. Only they download it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being drawn")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    states_done = models.PositiveIntegerField(default=0)
    states_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="engagement/briefs/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.delegation_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("delegation:briefs-job", args=[self.delegation.meeting.slug, self.pk])

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.states_done / self.states_total) if self.states_total else 0
