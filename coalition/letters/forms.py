"""Small forms of the letters pages: choosing one's state, writing the letter, answering the follow-up."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.letters.models import Action, Letter, Position
from coalition.letters.models.actions import TRANSLATED_FIELDS
from coalition.lib.forms import InputRulesMixin, LongSelect, NameField
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.members.consent import CONSENT_TEXTS
from coalition.members.models import ConsentKind
from coalition.states.models import State


class ChooseStateForm(InputRulesMixin, forms.Form):
    """For the own-state rule: which state (and region or constituency) the supporter writes from."""

    state = forms.ModelChoiceField(
        label=_("Your state"), queryset=State.objects.none(), to_field_name="iso3", widget=LongSelect
    )
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
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
        help_text=_(
            "Edit it and add a few words of your own: officials discount identical letters, and a letter "
            "nearly identical to others already sent to the same official is held for review. The greeting "
            "for each official and your signature are added for you: the preview shows them."
        ),
    )
    # The version of the action the letter was written in (its greeting, signature and subject follow it).
    letter_language = forms.ChoiceField(choices=settings.LANGUAGES, required=False, widget=forms.HiddenInput)
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
        return body

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].max_chars = settings.LETTERS_MAX_BODY_CHARS  # type: ignore[attr-defined]  # the counter

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


def _official_label(position: Position) -> str:
    return f"{position.title} — {position.holder_name}" if position.holder_name else position.title


class ActionEditorForm(InputRulesMixin, forms.ModelForm):
    """The campaigners' action editor: the action in its original language, its targets, goal and dates, the
    languages it is offered in (a real multiple choice), and one version per other language."""

    languages = forms.MultipleChoiceField(
        label=_("Offered in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each language other than the original needs its version below."),
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "slug",
            "ask",
            "background",
            "language",
            "languages",
            "letter_subject",
            "letter_template",
            *Action.PLAN_FIELDS,
            "positions",
            "show_replies",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "letter_template": forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
            "ask": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "background": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "positions": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        positions = self.fields["positions"]
        assert isinstance(positions, forms.ModelMultipleChoiceField)
        positions.queryset = Position.objects.select_related("current_term__person").order_by("state_id", "title")
        positions.label_from_instance = _official_label  # type: ignore[method-assign,assignment]
        self.fields["letter_template"].max_chars = settings.LETTERS_MAX_BODY_CHARS  # type: ignore[attr-defined]
        translations = self.instance.translations if self.instance.pk else {}
        for code, name in settings.LANGUAGES:
            found = translations.get(code, {})
            for field in TRANSLATED_FIELDS:
                model_field = cast(models.Field, Action._meta.get_field(field))
                widget: forms.Widget
                if field in {"letter_template", "ask", "background"}:
                    widget = forms.Textarea(attrs={"rows": 8 if field == "letter_template" else 2, "dir": "auto"})
                else:
                    widget = forms.TextInput(attrs={"dir": "auto"})
                widget.attrs["lang"] = code
                self.fields[f"{code}_{field}"] = forms.CharField(
                    label=f"{model_field.verbose_name} ({name})",
                    required=False,
                    max_length=getattr(model_field, "max_length", None) or settings.LETTERS_MAX_BODY_CHARS,
                    initial=found.get(field, ""),
                    widget=widget,
                )

    def version_fields(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """For the template: per language, its name and its bound fields."""
        return [
            (code, str(name), [self[f"{code}_{field}"] for field in TRANSLATED_FIELDS])
            for code, name in settings.LANGUAGES
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def translations(self) -> dict[str, dict[str, str]]:
        """The versions written, for the languages offered other than the original."""
        data = self.cleaned_data
        original = data.get("language") or "en"
        return {
            code: {field: data.get(f"{code}_{field}", "").strip() for field in TRANSLATED_FIELDS}
            for code in data.get("languages") or []
            if code != original
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        original = data.get("language") or "en"
        offered = [code for code in data.get("languages") or [] if code != original]
        for code in offered:
            for field in ("title", "ask", "letter_subject", "letter_template"):
                if not (data.get(f"{code}_{field}") or "").strip():
                    self.add_error(f"{code}_{field}", _("Needed for a language the action is offered in."))
        if original not in (data.get("languages") or []):
            data["languages"] = [original, *(data.get("languages") or [])]
        self.instance.translations = self.translations() if not self.errors else self.instance.translations
        return data
