"""Small single-purpose forms of the engagement pages; the rules themselves are the services'."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.accounts.models import User
from coalition.engagement.models import Commitment, OfficialMeeting, Topic, Visibility
from coalition.engagement.services import AttendeeLine, OtherOfficial
from coalition.letters.models import Position
from coalition.lib.forms import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, InputRulesMixin, LineField, NameField
from coalition.members.models import Organisation
from coalition.states.models import State

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIST_MAX_LENGTH = 4_000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _pairs(text: str) -> list[tuple[str, str]]:
    """`Name; second part` per line (the second part may be missing)."""
    pairs = []
    for line in _lines(text):
        first, _sep, second = line.partition(";")
        pairs.append((first.strip()[:200], second.strip()[:200]))
    return pairs


def _state_choices() -> list[tuple[str, str]]:
    return [(iso3, name) for iso3, name in State.objects.order_by("name").values_list("iso3", "name")]


def _officials(text: str) -> list[OtherOfficial]:
    return [OtherOfficial(name=name, title=title) for name, title in _pairs(text)]


def _commitments(text: str) -> list[str]:
    lines = _lines(text)
    if any(len(line) > 300 for line in lines):
        raise forms.ValidationError(_("Write each commitment in at most 300 characters."))
    return lines


def _state_field(*, required: bool = True) -> forms.ModelChoiceField[State]:
    return forms.ModelChoiceField(
        label=_("State"), queryset=State.objects.order_by("name"), to_field_name="iso3", required=required
    )


def _text_field(
    label: StrOrPromise, *, rows: int, max_length: int = COMMENT_MAX_LENGTH, help_text: StrOrPromise = ""
) -> forms.CharField:
    """Optional text on a few lines (`_list_field`: one item a line, which the form's clean_ method splits)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _list_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return _text_field(label, rows=2, max_length=LIST_MAX_LENGTH, help_text=help_text)


class MeetingForm(InputRulesMixin, forms.Form):
    state = _state_field()
    organisation = forms.ModelChoiceField(
        label=_("Recorded for"), queryset=Organisation.objects.none(), required=False, empty_label=_("Coalition staff")
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=OfficialMeeting.Status.choices)
    format = forms.ChoiceField(label=_("Format"), choices=OfficialMeeting.Format.choices)
    positions = forms.ModelMultipleChoiceField(
        label=_("Officials met (from the officials list)"),
        queryset=Position.objects.select_related("state").order_by("state__name", "title"),
        required=False,
        help_text=_("Officials of the meeting's state; who held the post on the day is recorded."),
    )
    other_officials = _list_field(_("Other officials"), _("One per line: name; title."))
    attendees = _list_field(_("Who went for the coalition"), _("One per line: name; organisation."))
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    topics_other = LineField(label=_("Other topics"), required=False, max_length=200)
    stated_position = forms.ChoiceField(
        label=_("The state's stated position on joining or implementing the Convention"),
        choices=OfficialMeeting.Stance.choices,
    )
    commitments = _list_field(
        _("Commitments the state made"), _("One per line; follow each one's status on the meeting's page.")
    )
    outcome = _text_field(
        _("Outcome"), rows=6, max_length=TEXT_MAX_LENGTH, help_text=_("Markdown: **bold**, *italic*, lists and links.")
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices, initial=Visibility.COALITION)
    attachment = forms.FileField(label=_("Attachment (PDF or image)"), required=False)

    def __init__(self, *args: Any, organisations: Any, staff: bool, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        if not staff:
            field.required = True
            field.empty_label = None
        if editing:
            self.fields["commitments"].label = _("New commitments")

    def clean_other_officials(self) -> list[OtherOfficial]:
        return _officials(self.cleaned_data["other_officials"])

    def clean_attendees(self) -> list[AttendeeLine]:
        return [AttendeeLine(name=name, organisation=org) for name, org in _pairs(self.cleaned_data["attendees"])]

    def clean_commitments(self) -> list[str]:
        return _commitments(self.cleaned_data["commitments"])

    def meeting_data(self) -> dict[str, Any]:
        fields = ("state", "organisation", "held_on", "status", "format", "topics", "topics_other")
        data = {name: self.cleaned_data[name] for name in fields}
        data.update(
            stated_position=self.cleaned_data["stated_position"],
            outcome=self.cleaned_data["outcome"].strip(),
            visibility=self.cleaned_data["visibility"],
        )
        return data


class MeetingFilterForm(InputRulesMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    official = LineField(label=_("Official"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    commitment_status = forms.ChoiceField(label=_("Commitment status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("All states")), *_state_choices()]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", _("All organisations")),
            *Organisation.objects.filter(official_meetings__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("pk", "name"),
        ]
        cast(forms.ChoiceField, self.fields["commitment_status"]).choices = [
            ("", _("Any")),
            *Commitment.Status.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data


class CommitmentStatusForm(InputRulesMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)


class FollowUpForm(InputRulesMixin, forms.Form):
    title = NameField(label=_("What to do"))
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    notes = _text_field(_("Notes"), rows=3)
    state = _state_field(required=False)
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    commitment = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


class DelegationForm(InputRulesMixin, forms.Form):
    notes = _text_field(_("Notes for the delegation"), rows=3)


class DelegateForm(InputRulesMixin, forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    arrives_on = forms.DateField(label=_("Arrives on"), widget=DATE, required=False)
    leaves_on = forms.DateField(label=_("Leaves on"), widget=DATE, required=False)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = users


class AssignmentForm(InputRulesMixin, forms.Form):
    delegate = forms.IntegerField(label=_("Delegate"), min_value=1, widget=forms.Select)
    state = _state_field()
    asks = _text_field(_("The asks"), rows=2)

    def __init__(self, *args: Any, delegates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].widget.choices = delegates


class BilateralForm(InputRulesMixin, forms.Form):
    state = _state_field()
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    officials = _list_field(_("Who you spoke to"), _("One per line: name; title."))
    stated_position = forms.ChoiceField(label=_("Stated position"), choices=OfficialMeeting.Stance.choices)
    outcome = _text_field(_("What was said"), rows=4, max_length=TEXT_MAX_LENGTH)
    commitments = _list_field(_("Commitments"), _("One per line."))
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices, initial=Visibility.COALITION)
    follow_up_title = NameField(label=_("Follow-up (for you)"), required=False)
    follow_up_due = forms.DateField(label=_("Follow-up due on"), widget=DATE, required=False)

    def clean_officials(self) -> list[OtherOfficial]:
        return _officials(self.cleaned_data["officials"])

    def clean_commitments(self) -> list[str]:
        return _commitments(self.cleaned_data["commitments"])
