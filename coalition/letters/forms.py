"""Small forms of the letters pages: choosing one's state, writing the letter, answering the follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coalition.letters import merge
from coalition.letters.models import Letter
from coalition.lib.forms import InputRulesMixin, NameField
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.members.consent import CONSENT_TEXTS
from coalition.members.models import ConsentKind
from coalition.states.models import State


class ChooseStateForm(InputRulesMixin, forms.Form):
    """For the own-state rule: which state (and region or constituency) the supporter writes from."""

    state = forms.ModelChoiceField(label=_("Your state"), queryset=State.objects.none(), to_field_name="iso3")
    constituency = forms.ChoiceField(label=_("Your region or constituency"), required=False, choices=[])

    def __init__(self, *args: Any, states: list[State], constituencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = State.objects.filter(iso3__in=[state.iso3 for state in states])
        field.choices = [("", "—"), *((state.iso3, state.display_name) for state in states)]
        constituency = self.fields["constituency"]
        assert isinstance(constituency, forms.ChoiceField)
        if constituencies:
            constituency.choices = [("", _("None of these / I don't know")), *((c, c) for c in constituencies)]
        else:
            del self.fields["constituency"]


class LetterForm(InputRulesMixin, HoneypotFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your letter"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Edit it and add a few words of your own: officials discount identical letters, and a letter "
            "nearly identical to others already sent to the same official is held for review."
        ),
    )
    # Both go into the e-mail to the official (its sender and subject): one line each.
    name = NameField(label=_("Your name"))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm; the official can reply to this address."),
    )
    town = NameField(label=_("Your town"))
    delivery = forms.ChoiceField(
        label=_("How to send it"),
        choices=Letter.Delivery.choices,
        initial=Letter.Delivery.EMAIL,
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(
        label=_("Send this letter in my name, with my e-mail address for the official's reply."),
        error_messages={"required": _("Please agree that the letter is sent in your name.")},
    )
    action_alerts = forms.BooleanField(
        label=CONSENT_TEXTS[ConsentKind.ACTION_ALERTS].text,  # type: ignore[arg-type]  # lazy: the reader's language
        required=False,
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if len(body) > settings.LETTERS_MAX_BODY_CHARS:
            raise forms.ValidationError(
                _("The letter is %(length)s characters long; the limit is %(limit)s."),
                params={"length": len(body), "limit": settings.LETTERS_MAX_BODY_CHARS},
            )
        unknown = merge.unknown_fields(body)
        if unknown:
            raise forms.ValidationError(
                _("Unknown merge field(s): %(fields)s. Known ones: %(known)s."),
                params={
                    "fields": ", ".join(sorted(unknown)),
                    "known": ", ".join("{{ " + name + " }}" for name in merge.FIELDS),
                },
            )
        return body

    def consents(self) -> dict[str, bool]:
        return {ConsentKind.ACTION_ALERTS: bool(self.cleaned_data.get("action_alerts"))}


class FollowUpForm(InputRulesMixin, forms.Form):
    """One yes/no question per official the letter went to."""

    def __init__(self, *args: Any, messages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.messages = messages
        for message in messages:
            self.fields[f"m{message.pk}"] = forms.ChoiceField(
                label=f"{message.recipient_title} ({message.recipient_name})",
                choices=[("yes", _("Yes, they replied")), ("no", _("No reply yet"))],
                widget=forms.RadioSelect,
                initial=message.supporter_answer or None,
            )

    def answers(self) -> dict[int, str]:
        return {message.pk: self.cleaned_data[f"m{message.pk}"] for message in self.messages}
