"""Forms of the mailings app; each mixes in the project's input rules (decision 0015)."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coalition.lib.forms import InputRulesMixin, LineField, NameField, TextField
from coalition.mailings.models import Mailing, MailingList, Segment
from coalition.mailings.segments import SegmentError, segment_q
from coalition.members.models import ConsentKind

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class MailingForm(InputRulesMixin, forms.Form):
    name = NameField(label=_("Internal name"), help_text=_("For staff only; also the public page's address."))
    mailing_list = forms.ModelChoiceField(label=_("List"), queryset=MailingList.objects.order_by("name"))
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.order_by("name"), required=False,
        help_text=_("Optional: only the list's members who match this segment."),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    subject = LineField(label=_("Subject"), max_length=200, required=False)
    preheader = LineField(label=_("Preheader"), max_length=200, required=False,
                          help_text=_("The line mail programs show after the subject."))  # fmt: skip
    body = TextField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Merge fields: {{ first_name }} or {{ first_name | friend }} (with a fallback), {{ state }}, "
            "{{ unsubscribe_url }}, {{ manage_url }}. An unsubscribe link is added at the end of every copy."
        ),
    )
    public = forms.BooleanField(label=_("Show in the public archive (/news/) once sent"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = LineField(
                label=_("Subject in %(language)s") % {"language": label}, max_length=200, required=False
            )
            self.fields[f"preheader_{code}"] = LineField(
                label=_("Preheader in %(language)s") % {"language": label}, max_length=200, required=False
            )
            self.fields[f"body_{code}"] = TextField(
                label=_("Text in %(language)s") % {"language": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Leave empty: supporters of this language get the default version."),
            )
        self.apply_input_rules()

    def versions(self) -> dict[str, tuple[str, str, str]]:
        data = self.cleaned_data
        return {
            code: (data.get(f"subject_{code}", ""), data.get(f"preheader_{code}", ""), data.get(f"body_{code}", ""))
            for code, _label in settings.LANGUAGES
        }

    @classmethod
    def initial_for(cls, mailing: Mailing) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": mailing.name,
            "mailing_list": mailing.mailing_list_id,
            "segment": mailing.segment_id,
            "language": mailing.language,
            "subject": mailing.subject,
            "preheader": mailing.preheader,
            "body": mailing.body,
            "public": mailing.public,
        }
        for version in mailing.versions.all():
            initial[f"subject_{version.language}"] = version.subject
            initial[f"preheader_{version.language}"] = version.preheader
            initial[f"body_{version.language}"] = version.body
        return initial


def _zones() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class SendForm(InputRulesMixin, forms.Form):
    """Send now, or at a time in the sender's zone."""

    when = forms.ChoiceField(
        label=_("When"), choices=[("now", _("Now")), ("later", _("At a time"))], widget=forms.RadioSelect
    )
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = _zones()
        self.apply_input_rules()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "later":
            local = data.get("send_at")
            if local is None:
                self.add_error("send_at", _("Give the day and time to send at."))
            elif data.get("zone"):
                naive = local.replace(tzinfo=None)
                data["send_at"] = naive.replace(tzinfo=zoneinfo.ZoneInfo(data["zone"]))
        return data

    def moment(self) -> datetime | None:
        return self.cleaned_data["send_at"] if self.cleaned_data.get("when") == "later" else None


class DecisionForm(InputRulesMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[(name, name) for name in ("test", "approve", "pause", "resume", "cancel")], widget=forms.HiddenInput
    )


class SegmentForm(InputRulesMixin, forms.Form):
    name = NameField(label=_("Name"))
    rules = TextField(
        label=_("Rules"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            'JSON, for example {"all": [{"state": "NO"}, {"any": [{"language": "fr"}, {"list": "newsletter"}]}, '
            '{"not": {"action": "ratify-now"}}, {"signed_up": {"from": "2025-01-01", "to": "2025-12-31"}}]}. '
            "Rules: state, language, list, organisation, action (confirmed a letter), event (replied), signed_up; "
            "combined with all, any and not."
        ),
    )

    def clean_rules(self) -> Any:
        try:
            rules = json.loads(self.cleaned_data["rules"])
        except ValueError:
            raise forms.ValidationError(_("The rules are not valid JSON.")) from None
        try:
            segment_q(rules)
        except SegmentError as exc:
            raise forms.ValidationError(str(exc)) from None
        return rules


class MailingListForm(InputRulesMixin, forms.Form):
    name = NameField(label=_("Name"))
    description = TextField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent_kind = forms.ChoiceField(label=_("Kind of consent"), choices=ConsentKind.choices)
    consent_text = TextField(
        label=_("Consent text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a supporter agrees to when joining, kept with each consent record."),
    )


class SubscriptionsForm(InputRulesMixin, forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Your lists"),
        queryset=MailingList.objects.exclude(consent_text="").order_by("name"),  # selectors.lists_open_to_join
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PreviewForm(InputRulesMixin, forms.Form):
    email = forms.EmailField(label=_("Preview as the supporter with this address"), required=False)
