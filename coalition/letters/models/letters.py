"""A supporter's letter and the messages it fans out to, one per official, each delivered exactly once."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.letters.models.actions import Action
from coalition.letters.models.officials import Position, Term
from coalition.members.models import Organisation, Supporter
from coalition.states.models import State


def new_message_id() -> str:
    return f"<letter-{uuid.uuid4().hex}@coalition>"


class Letter(models.Model):
    """What one supporter wrote for one action: their edited text and details, before the fan-out."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        EXPIRED = "expired", _("Expired unconfirmed")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        POST = "post", _("By post (printable letter)")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="letters")
    # An unconfirmed sign-up that expires takes its unconfirmed letter with it.
    supporter = models.ForeignKey(
        Supporter, verbose_name=_("supporter"), on_delete=models.CASCADE, related_name="letters"
    )
    name = models.CharField(_("name"), max_length=200)
    town = models.CharField(_("town"), max_length=200)
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, null=True, blank=True)
    constituency = models.CharField(_("region or constituency"), max_length=200, blank=True)
    # The supporter's text with merge fields, as they edited it; `edited` says whether they changed it.
    body = models.TextField(_("text"))
    edited = models.BooleanField(_("edited by the supporter"), default=False)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    language = models.CharField(_("language"), max_length=10, blank=True)
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("brought by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters_brought",
        db_index=False,  # the (referred_by, action) index starts with it
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # True when the writer had proved the address recently and was not asked again.
    auto_confirmed = models.BooleanField(_("confirmed without a link"), default=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("asked about replies at"), null=True, blank=True)
    scrubbed_at = models.DateTimeField(_("personal data scrubbed at"), null=True, blank=True)
    # The e-mail that followed the letter (confirmation link or "on its way"), written once by the worker.
    # Not indexed: e-mails are never deleted, and nothing looks letters up by their e-mail.
    confirmation_email = models.ForeignKey(
        "core.Email",
        verbose_name=_("confirmation e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["referred_by", "action"]),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.name or '—'} ({self.status})"


class Message(models.Model):
    """One letter to one official; the unit of delivery, of caps and of counts."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the writer's confirmation")
        HELD = "held", _("Held for review")
        PENDING = "pending", _("Pending delivery")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        POSTAL = "postal", _("For printing and post")
        EXPIRED = "expired", _("Expired unconfirmed")
        REJECTED = "rejected", _("Rejected by staff")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, the official replied")
        NO = "no", _("No reply")

    # No index of their own: the unique (letter, position) and the (action, position, status) indexes start
    # with them, and every index is one more page written by each letter.
    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="messages", db_index=False
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="messages"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # The official as the letter addresses them, fixed when written (a later change of holder gets new letters).
    recipient_name = models.CharField(_("official"), max_length=200)
    recipient_title = models.CharField(_("title"), max_length=200)
    recipient_email = models.EmailField(_("official's address"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    # Fixed when written, so a message repeated after a crash carries the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, default=new_message_id)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    # The day's cap may push a message to a later day; it is not sent before this.
    send_after = models.DateTimeField(_("not before"), null=True, blank=True)
    # The day whose place under the official's cap the message holds (DailySlot); given back on erasure.
    cap_day = models.DateField(_("day under the cap"), null=True, blank=True)
    # Held by a worker while it talks to the mail server; an expired lease means that worker died.
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("reason"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    hold_reason = models.CharField(_("why held"), max_length=200, blank=True)
    signature = models.JSONField(_("similarity signature"), default=list, blank=True)
    reply = models.ForeignKey(
        "Reply", verbose_name=_("reply"), on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    supporter_answer = models.CharField(
        _("the writer says the official replied"), max_length=5, choices=Answer.choices, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [models.UniqueConstraint(fields=["letter", "position"], name="letters_one_message_per_official")]
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["action", "position", "status"]),
            models.Index(fields=["status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_title} ← {self.letter_id} ({self.status})"


class MessageBand(models.Model):
    """One band of a message's MinHash signature: finds similar letters to the same official in one query."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="bands")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["position", "value"])]

    def __str__(self) -> str:
        return f"{self.position_id}:{self.value}"


class DailySlot(models.Model):
    """How many messages go to one official on one day, all actions together (the daily cap's ledger)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["position", "day"], name="letters_one_slot_per_official_day")]

    def __str__(self) -> str:
        return f"{self.position_id} {self.day}: {self.count}"


class Reply(models.Model):
    """An official's reply, logged by staff against the messages of an action to that official."""

    class Stance(models.TextChoices):
        SUPPORTIVE = "supportive", _("Supportive")
        NONCOMMITTAL = "noncommittal", _("Non-committal")
        OPPOSED = "opposed", _("Opposed")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="replies")
    position = models.ForeignKey(Position, verbose_name=_("official"), on_delete=models.PROTECT, related_name="replies")
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    summary = models.TextField(_("summary"))
    stance = models.CharField(_("stance"), max_length=15, choices=Stance.choices)
    public = models.BooleanField(_("show on the action page"), default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.position} ({self.received_on})"
