"""Small single-purpose forms of the registry's pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coalition.lib.forms import InputRulesMixin, LongSelect, NameField, TextField
from coalition.lib.honeypot import HoneypotFormMixin
from coalition.members.applications import NEEDS_CONFIRMATION_MESSAGE
from coalition.members.consent import CONSENT_TEXTS
from coalition.members.models import Interest, Organisation, Supporter
from coalition.members.organisations import EDITOR_FIELDS

# The honeypot's label, read by screen readers only; set here so it is in this app's catalogue.
HONEYPOT_LABEL = _("Leave this field empty")


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def country_choices(blank_label: str | Any = "") -> list[tuple[str, str]]:
    # Built per form instance: country names follow the visitor's language.
    return [("", blank_label or "—")] + [(c.code, c.name) for c in countries]


class DirectoryFilterForm(InputRulesMixin, forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    type = forms.ChoiceField(label=_("Type"), required=False)
    committee = forms.BooleanField(label=_("Steering Committee only"), required=False)

    def __init__(self, *args: Any, country_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(countries)
        # Only countries that have members, so no choice leads to an empty page.
        choices = sorted(((code, str(names.get(code, code))) for code in country_codes), key=lambda c: c[1])
        _choices(self, "country", [("", _("All countries")), *choices])
        _choices(self, "type", [("", _("All types")), *Organisation.Type.choices])


class ApplicationForm(InputRulesMixin, HoneypotFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "country", country_choices(_("Choose a country")))
        self.fields["fax_number"].label = HONEYPOT_LABEL

    name = NameField(label=_("Name of the organisation"))
    type = forms.ChoiceField(label=_("Type"), choices=Organisation.Type.choices)
    country = forms.ChoiceField(label=_("Country"), widget=LongSelect)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = forms.CharField(
        label=_("Languages"), max_length=200, required=False, help_text=_("Languages your organisation works in.")
    )
    description = forms.CharField(
        label=_("What your organisation does"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    public_email = forms.EmailField(
        label=_("Public contact address"),
        required=False,
        help_text=_("Shown on your organisation's public page once it is a member."),
    )
    contact_name = NameField(label=_("Your name"))
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We write to you about the application; once approved, you edit your organisation's page."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )


class SupporterSignUpForm(InputRulesMixin, HoneypotFormMixin):
    name = NameField(label=_("Your name"))
    email = forms.EmailField(label=_("E-mail address"))
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    languages = forms.MultipleChoiceField(
        label=_("Languages you read"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.MultipleChoiceField(
        label=_("What interests you"), choices=Interest.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "country", country_choices(_("Choose a country")))
        trap = self.fields.pop("fax_number")
        trap.label = HONEYPOT_LABEL
        # One unticked box per kind of contact: consent is given to each, never to all at once.
        for kind, consent in CONSENT_TEXTS.items():
            self.fields[f"consent_{kind}"] = forms.BooleanField(label=str(consent.text), required=False)
        self.fields["fax_number"] = trap

    def consents(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(f"consent_{kind}")) for kind in CONSENT_TEXTS}


class DataLinkForm(InputRulesMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address you signed up with"))


class EraseForm(InputRulesMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my name, address and choices will be deleted and cannot be recovered.")
    )


class DecisionForm(InputRulesMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Included in the e-mail the applicant receives."),
    )

    def __init__(self, *args: Any, existing_organisation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_organisation = existing_organisation
        if existing_organisation:
            self.fields["confirm_existing"] = forms.BooleanField(
                label=_(
                    "I have checked that the applicant speaks for this organisation: approving makes them "
                    "an editor of an organisation that already exists."
                ),
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("message", "").strip():
            self.add_error("message", _("Say why, so the applicant knows what to do."))
        if self.existing_organisation and cleaned.get("decision") == "approve" and not cleaned.get("confirm_existing"):
            self.add_error("confirm_existing", NEEDS_CONFIRMATION_MESSAGE)
        return cleaned


# Logos are served to every visitor from MEDIA: only plain raster pictures, never SVG (which can hold script).
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


class OrganisationProfileForm(InputRulesMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(EDITOR_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": ",".join(LOGO_FORMATS.values())}),
        }

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not logo or "logo" not in self.changed_data or not hasattr(logo, "image"):
            return logo  # unchanged or cleared
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is too large: at most 2 MB, please."))
        image_format = getattr(logo.image, "format", None)
        if image_format not in LOGO_FORMATS:
            raise forms.ValidationError(_("The logo must be a PNG, JPEG, GIF or WebP picture."))
        # The stored name ends as the content is, so the file is never served as anything else.
        stem = (logo.name or "logo").rsplit(".", 1)[0][:60] or "logo"
        logo.name = stem + LOGO_FORMATS[image_format]
        return logo


class StatusForm(InputRulesMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Organisation.Status.choices)
    note = forms.CharField(label=_("Why"), max_length=500, help_text=_("Kept in the status history."))


class _StaffFilterForm(InputRulesMixin, forms.Form):
    """A staff list's filters: a search (`q`, first), a status of `statuses`, a country, then the list's own."""

    statuses: list[tuple[str, Any]] = []
    status = forms.ChoiceField(label=_("Status"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["q"])
        _choices(self, "status", [("", _("Any status")), *self.statuses])
        _choices(self, "country", country_choices(_("Any country")))


class StaffOrganisationFilterForm(_StaffFilterForm):
    statuses = Organisation.Status.choices
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "type", [("", _("Any type")), *Organisation.Type.choices])


class StaffSupporterFilterForm(_StaffFilterForm):
    statuses = Supporter.Status.choices
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    referred_by = forms.SlugField(label=_("Referred by (organisation slug)"), required=False)


class ImportForm(InputRulesMixin, forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    # After a clean dry run, the checked text comes back with the confirmation and is checked again.
    csv_text = TextField(widget=forms.HiddenInput, required=False, max_length=None)
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload:
            try:
                cleaned["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text; save it as 'CSV UTF-8'.")) from None
            cleaned["confirm"] = False  # a new file is always checked first
        elif not cleaned.get("csv_text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return cleaned
