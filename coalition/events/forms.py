"""Small single-purpose forms of the events pages."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coalition.events.models import Event, EventPartner, timezone_names
from coalition.events.photos import NOT_A_PHOTO, photo_extension
from coalition.lib.forms import COMMENT_MAX_LENGTH, InputRulesMixin, LongSelect, NameField, set_max_length, set_range
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.members.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ListFilterForm(InputRulesMixin, forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All dates"))],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, country_codes: list[str], organisations: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        names = dict(countries)
        choices = sorted(((code, str(names.get(code, code))) for code in country_codes), key=lambda c: c[1])
        _choice_field(self, "country").choices = [("", _("All countries")), *choices]
        _choice_field(self, "kind").choices = [("", _("All kinds")), *Event.Kind.choices]
        _choice_field(self, "organisation").choices = [("", _("All organisations")), *organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data


class CalendarMonthForm(InputRulesMixin, forms.Form):
    """The calendar's `?month=YYYY-MM`, within years it makes sense to show (and to step back and forth from)."""

    FIRST_YEAR, LAST_YEAR = 1900, 2100

    month = forms.CharField(required=False)

    def clean_month(self) -> date | None:
        text = self.cleaned_data["month"]
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if match and 1 <= int(match[2]) <= 12 and self.FIRST_YEAR <= int(match[1]) <= self.LAST_YEAR:
            return date(int(match[1]), int(match[2]), 1)
        raise forms.ValidationError(
            _("A month is written YYYY-MM, from %(first)s to %(last)s: here is the current month instead."),
            params={"first": self.FIRST_YEAR, "last": self.LAST_YEAR},
        )

    def month_or(self, default: date) -> date:
        """The month asked for, or `default` when none (or none that can be shown) was asked for."""
        return (self.cleaned_data.get("month") if self.is_valid() else None) or default

    def shown(self, month: date) -> bool:
        return self.FIRST_YEAR <= month.year <= self.LAST_YEAR


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock at the event's place; made aware in the form's clean()."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value: Any) -> datetime | None:
        # Keep the time naive: Django would otherwise read it in the server's zone (UTC).
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007  zone applied in clean()
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.strftime(LOCAL_FORMAT)
        return value


class EventForm(InputRulesMixin, forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Starts (local time at the event)"))
    ends_at = LocalDateTimeField(label=_("Ends (local time at the event)"))
    timezone = forms.ChoiceField(label=_("Time zone"), help_text=_("Where the event takes place, e.g. Europe/Oslo."))
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosting organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    promoters = forms.ModelMultipleChoiceField(
        label=_("Organisations promoting it"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "timezone",
            "language",
            "venue",
            "address",
            "city",
            "country",
            "address_visibility",
            "latitude",
            "longitude",
            "online_url",
            "capacity",
            "accessibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "address_visibility": forms.RadioSelect,
        }

    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=Organisation.objects.none())
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", help_text=_("For online or hybrid events.")
    )

    # A sensible ceiling: more than any hall or square holds.
    MAX_CAPACITY = 1_000_000

    def __init__(
        self,
        *args: Any,
        organisation: Organisation | None = None,
        organisations: Any = None,
        **kwargs: Any,
    ) -> None:
        """Editing: `organisation` is the event's. Creating: `organisations` are those this person may
        create events for, offered as the `organiser` choice."""
        instance: Event | None = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("starts_at", instance.starts_local.replace(tzinfo=None))
            initial.setdefault("ends_at", instance.ends_local.replace(tzinfo=None))
            partners = list(instance.partnerships.all())
            initial.setdefault("co_hosts", [p.organisation_id for p in partners if p.role == EventPartner.Role.CO_HOST])
            initial.setdefault(
                "promoters", [p.organisation_id for p in partners if p.role == EventPartner.Role.PROMOTER]
            )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if organisation is not None:
            del self.fields["organiser"]
        else:
            cast(forms.ModelChoiceField, self.fields["organiser"]).queryset = organisations
            if len(organisations) == 1:
                self.initial.setdefault("organiser", organisations[0].pk)
            self.order_fields(["organiser"])
        _choice_field(self, "timezone").choices = [(name, name) for name in timezone_names()]
        others = Organisation.objects.filter(status=Organisation.Status.MEMBER)
        if organisation is not None:
            others = others.exclude(pk=organisation.pk)
        cast(forms.ModelMultipleChoiceField, self.fields["co_hosts"]).queryset = others
        cast(forms.ModelMultipleChoiceField, self.fields["promoters"]).queryset = others
        set_range(self.fields["capacity"], 0, self.MAX_CAPACITY)
        set_range(self.fields["latitude"], -90, 90)
        set_range(self.fields["longitude"], -180, 180)
        set_max_length(self.fields["accessibility"], COMMENT_MAX_LENGTH)
        translations = instance.translations if instance is not None and instance.pk else {}
        for code, name in settings.LANGUAGES:
            self.fields[f"{code}_title"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                required=False,
                max_length=200,
                initial=translations.get(code, {}).get("title", ""),
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            self.fields[f"{code}_description"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": name},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                initial=translations.get(code, {}).get("description", ""),
                widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"}),
            )
        if not self.initial.get("timezone") and not (instance and instance.pk):
            self.initial["timezone"] = timezone.get_current_timezone_name()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("timezone")
        if not zone_name:
            # An unknown zone has its own error; without a zone the times cannot be placed, so stop here.
            for name in ("starts_at", "ends_at"):
                data.pop(name, None)
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in ("starts_at", "ends_at"):
            if isinstance(data.get(name), datetime):
                data[name] = data[name].replace(tzinfo=zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if starts and not (self.instance and self.instance.pk) and starts <= timezone.now():
            self.add_error("starts_at", _("The start is in the past."))
        both = set(data.get("co_hosts") or []) & set(data.get("promoters") or [])
        if both:
            self.add_error("promoters", _("An organisation is either a co-host or a promoter, not both."))
        return data

    def _post_clean(self) -> None:
        # The aware datetimes from clean() go to the instance; model validation runs in the service.
        pass

    def event_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        data["translations"] = self.translations()
        return data

    def version_fields(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """Per site language: its name and the bound title and description of that version."""
        return [
            (code, str(name), [self[f"{code}_title"], self[f"{code}_description"]]) for code, name in settings.LANGUAGES
        ]

    def translations(self) -> dict[str, dict[str, str]]:
        """The versions written (a title at least), except in the event's own language."""
        found = {}
        for code, _name in settings.LANGUAGES:
            title = (self.cleaned_data.get(f"{code}_title") or "").strip()
            if title and code != self.cleaned_data.get("language"):
                found[code] = {
                    "title": title,
                    "description": (self.cleaned_data.get(f"{code}_description") or "").strip(),
                }
        return found

    def organiser_choice(self) -> Organisation:
        return self.organisation or self.cleaned_data["organiser"]

    def partners(self) -> list[tuple[Organisation, str]]:
        return [(o, EventPartner.Role.CO_HOST) for o in self.cleaned_data.get("co_hosts") or []] + [
            (o, EventPartner.Role.PROMOTER) for o in self.cleaned_data.get("promoters") or []
        ]


class RSVPForm(InputRulesMixin, HoneypotFormMixin):
    name = NameField(label=_("Your name"))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We use it only for this event: your confirmation, a reminder, and any change."),
    )
    guests = forms.IntegerField(label=_("Guests coming with you"), min_value=0, initial=0)

    def __init__(self, *args: Any, max_guests: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_range(self.fields["guests"], 0, max_guests)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RSVPLinksForm(InputRulesMixin, HoneypotFormMixin):
    email = forms.EmailField(label=_("The e-mail address you replied with"))

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


def _note_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    """A few optional lines for people to read (a comment, a reason), of a bounded length."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        max_length=COMMENT_MAX_LENGTH,
    )


class ModerationForm(InputRulesMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("send_back", _("Send back to the organisers"))],
        widget=forms.RadioSelect,
    )
    comment = _note_field(_("Comment for the organisers"), _("Needed when sending back: what should they change?"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "send_back" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the organisers should change."))
        return data


class CancelEventForm(InputRulesMixin, forms.Form):
    reason = _note_field(_("Why is it cancelled?"), _("Sent to everyone who replied."))


class CheckInForm(InputRulesMixin, forms.Form):
    rsvp = forms.IntegerField(widget=forms.HiddenInput)
    undo = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # The search the list was showing, to come back to it; checked like any one-line field.
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class PhotoField(forms.ImageField):
    """A picture, whatever its name ends with: what it is comes from its bytes (photos.py), and the stored
    name gets the matching extension, so Django's check of the uploaded name's extension is left out."""

    default_validators: list[Any] = []


class PhotoDeleteForm(InputRulesMixin, forms.Form):
    """The remove button under a report's photo."""

    delete_photo = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReportForm(InputRulesMixin, forms.Form):
    attendance = forms.IntegerField(label=_("People who came"), min_value=0, max_value=1_000_000)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: what was said, who came, what comes next. Shown on the event's page."),
        max_length=20_000,
    )
    photo = PhotoField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        if photo_extension(photo) is None:
            raise forms.ValidationError(NOT_A_PHOTO, code="not_a_photo")
        return photo
