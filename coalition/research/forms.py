"""Small forms of the research pages: one per record kind, the public filters, review, import."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.accounts.models import User
from coalition.lib.forms import COMMENT_MAX_LENGTH, InputRulesMixin, LongSelect, set_range
from coalition.research import services, validation
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    KNOWN_MUNITION_TYPES,
    Casualty,
    ContaminatedArea,
    PlacedRecord,
    Report,
    Source,
    Strike,
)
from coalition.states.models import State

PLACE_FIELDS = [
    "state",
    "place_name",
    "admin_area",
    "latitude",
    "longitude",
    "location_precision",
    "date",
    "date_end",
    "source",
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(InputRulesMixin, forms.ModelForm):
    """A record kind's form: the fields it gives `services.record_update`, and what the services save beside them."""

    def record_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or [] if name in self.cleaned_data}

    def record_extras(self) -> services.RecordExtras:
        return services.NO_EXTRAS


class PlacedRecordForm(RecordForm):
    """Checks shared by strikes, casualties and areas: dates, coordinates (warns when outside the state)."""

    new_source = forms.CharField(
        label=_("or a new source"), max_length=300, required=False, help_text=_("Title of a source not listed yet.")
    )
    source_url = forms.URLField(
        label=_("address of the new source"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        cast(forms.ModelChoiceField, self.fields["source"]).queryset = Source.objects.order_by("title")
        cast(forms.ModelChoiceField, self.fields["state"]).queryset = State.objects.order_by("name")
        for name in ("date", "date_end"):
            self.fields[name].widget = DATE_WIDGET
        self.warnings: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("date", "date_end"):
            value = data.get(name)
            problem = validation.date_problem(value, today=today) if value else None
            if problem:
                self.add_error(name, problem)
        if data.get("date") and data.get("date_end") and data["date_end"] < data["date"]:
            self.add_error("date_end", _("The end of the period is before its start."))
        problem = validation.coordinates_problem(data.get("latitude"), data.get("longitude"))
        if problem:
            self.add_error("latitude", problem)
        elif data.get("state") and validation.outside_state(
            data["state"].pk, data.get("latitude"), data.get("longitude")
        ):
            self.warnings.append(
                _("The coordinates are outside %(state)s's rough bounds: please check them.")
                % {"state": data["state"].display_name}
            )
        if not data.get("source") and not data.get("new_source"):
            self.add_error("source", _("Every record needs its source: choose one or name a new one."))
        return data

    def record_extras(self) -> services.RecordExtras:
        """What the services save beside the record: the new source named, when no listed one was chosen."""
        new_source = None
        if not self.cleaned_data.get("source") and self.cleaned_data.get("new_source"):
            new_source = (self.cleaned_data["new_source"], self.cleaned_data.get("source_url") or "")
        return services.RecordExtras(new_source=new_source)


class CasualtyForm(PlacedRecordForm):
    class Meta:
        model = Casualty
        fields = [
            "killed",
            "injured",
            *BREAKDOWN_FIELDS,
            "activity",
            "phase",
            "strike",
            *PLACE_FIELDS,
            "external_id",
            "name",
            "address",
        ]
        help_texts = {
            "killed": _(
                "People killed in this incident; for one person, 1 here and 0 under injured. Below, as many of them "
                "as are known by sex, age and status; what is left is counted as unknown."
            ),
            "name": _("Personal data: seen only by your organisation's researchers and the coalition's reviewers."),
            "address": _("Personal data: never published."),
        }

    def __init__(self, *args: Any, strikes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["strike"]).queryset = (
            strikes if strikes is not None else Strike.objects.none()
        )
        for name in ("killed", "injured", *BREAKDOWN_FIELDS):
            set_range(self.fields[name], 0, validation.MAX_PEOPLE)
        for name in BREAKDOWN_FIELDS:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in BREAKDOWN_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        if not data.get("killed") and not data.get("injured") and "killed" not in self.errors:
            self.add_error("killed", _("A casualty record counts at least one person killed or injured."))
        elif not any(name in self.errors for name in ("killed", "injured", *BREAKDOWN_FIELDS)):
            for fields, message in validation.breakdown_problems(data):
                self.add_error(fields.split("/")[0], message)
        return data


class StrikeForm(PlacedRecordForm):
    class Meta:
        model = Strike
        fields = [
            "munition_type",
            "delivery",
            "party_responsible",
            "submunitions",
            "failure_observations",
            *PLACE_FIELDS,
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["munition_type"].widget.attrs["list"] = "munition-types"
        set_range(self.fields["submunitions"], 0, validation.MAX_SUBMUNITIONS)
        self.munition_types = KNOWN_MUNITION_TYPES


class AreaForm(PlacedRecordForm):
    polygon_text = forms.CharField(
        label=_("outline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: corners as 'latitude longitude' pairs separated by commas, "
            "e.g. 15.1 106.2, 15.2 106.3, 15.1 106.4."
        ),
    )
    clearance_text = forms.CharField(
        label=_("cleared per year"),
        required=False,
        max_length=2000,
        help_text=_("e.g. 2022: 15000, 2023: 40000 (m² cleared each year)"),
    )

    class Meta:
        model = ContaminatedArea
        fields = ["hazard_status", "area_m2", *PLACE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_range(self.fields["area_m2"], 0, validation.MAX_AREA_M2)
        if self.instance.pk:
            self.fields["polygon_text"].initial = ", ".join(f"{lat} {lon}" for lon, lat in self.instance.polygon or [])
            self.fields["clearance_text"].initial = ", ".join(
                f"{c.year}: {c.cleared_m2}" for c in self.instance.clearances.all()
            )

    def record_extras(self) -> services.RecordExtras:
        """The new source, and the outline and clearances the services save with the area."""
        return dataclasses.replace(
            super().record_extras(),
            outline=self.cleaned_data.get("polygon_text") or [],
            clearances=self.cleaned_data.get("clearance_text", {}),
        )

    def clean_polygon_text(self) -> list[list[float]]:
        text = self.cleaned_data.get("polygon_text", "").strip()
        if not text:
            return []
        ring: list[list[float]] = []
        for pair in text.split(","):
            try:
                lat, lon = (float(part) for part in pair.split())
            except ValueError:
                raise forms.ValidationError(
                    _("Could not read %(pair)r as 'latitude longitude'.") % {"pair": pair.strip()}
                ) from None
            problem = validation.coordinates_problem(lat, lon)
            if problem:
                raise forms.ValidationError(problem)
            ring.append([lon, lat])
        if len(ring) < 3:
            raise forms.ValidationError(_("An outline needs at least three corners."))
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        return ring

    def clean_clearance_text(self) -> dict[int, int]:
        text = self.cleaned_data.get("clearance_text", "").strip()
        result: dict[int, int] = {}
        if not text:
            return result
        for part in text.split(","):
            try:
                year_text, m2_text = part.split(":")
                year, m2 = int(year_text), int(m2_text)
            except ValueError:
                raise forms.ValidationError(
                    _("Could not read %(part)r as 'year: m²'.") % {"part": part.strip()}
                ) from None
            if m2 < 0 or not 1940 <= year <= timezone.localdate().year:
                raise forms.ValidationError(
                    _("%(part)r: a year from 1940 to this year and a positive area.") % {"part": part.strip()}
                )
            problem = validation.amount_problem(m2, maximum=validation.MAX_AREA_M2)
            if problem:
                raise forms.ValidationError(f"{part.strip()}: {problem}")
            result[year] = m2
        return result


class ReportForm(RecordForm):
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("PDF or image (PNG, JPEG, GIF, WebP). More can be added later."),
    )

    class Meta:
        model = Report
        fields = ["title", "authors", "published_on", "summary", "states"]
        widgets = {"published_on": DATE_WIDGET, "states": forms.SelectMultiple(attrs={"size": 6})}

    def record_data(self) -> dict[str, Any]:
        """The report's own fields; the states it is about come with `record_extras`."""
        return {name: value for name, value in super().record_data().items() if name != "states"}

    def record_extras(self) -> services.RecordExtras:
        """The states the report is about, and its first attachment, saved by the services with it."""
        return services.RecordExtras(
            links={"states": self.cleaned_data["states"]} if "states" in self.cleaned_data else {},
            attachment=self.cleaned_data.get("attachment") or None,
        )

    def clean_published_on(self) -> Any:
        value = self.cleaned_data["published_on"]
        problem = validation.date_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value


class AttachmentForm(InputRulesMixin, forms.Form):
    attachment = forms.FileField(label=_("attachment"))


FORMS: dict[str, type[RecordForm]] = {
    "casualty": CasualtyForm,
    "strike": StrikeForm,
    "area": AreaForm,
    "report": ReportForm,
}


class PublicFilterForm(InputRulesMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, widget=LongSelect)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1940, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1940, max_value=2100)

    def __init__(self, *args: Any, states: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("All states")), *states]


class ReviewForm(InputRulesMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("request_changes", _("Ask for changes")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX_LENGTH
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "request_changes" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what needs to change."))
        return data


class AssignForm(InputRulesMixin, forms.Form):
    """Who reviews a record; empty for nobody."""

    reviewer = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), required=False)


class InboxFilterForm(InputRulesMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Records"),
        required=False,
        choices=[
            ("casualty", _("Casualties")),
            ("strike", _("Strikes")),
            ("area", _("Contaminated areas")),
            ("report", _("Reports")),
        ],
    )
    state = forms.ModelChoiceField(
        label=_("State"), required=False, queryset=State.objects.order_by("name"), to_field_name="iso3"
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    unassigned = forms.BooleanField(label=_("Not assigned"), required=False)


class ImportForm(InputRulesMixin, forms.Form):
    file = forms.FileField(label=_("CSV or HXL-tagged CSV file"))
    approve = forms.BooleanField(
        label=_("Import as approved"),
        required=False,
        help_text=_(
            "Only for data already reviewed elsewhere (e.g. a national database); otherwise rows await review."
        ),
    )
    apply = forms.BooleanField(
        label=_("Import now"), required=False, help_text=_("Unticked: only check the file and list every bad row.")
    )


EXPORT_FORMATS = [("csv", "CSV"), ("hxl", "HXL"), ("geojson", "GeoJSON")]


class ExportForm(InputRulesMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[("casualty", _("Casualties")), ("strike", _("Strikes")), ("area", _("Contaminated areas"))]
    )
    format = forms.ChoiceField(choices=EXPORT_FORMATS)
    state = forms.CharField(required=False, max_length=3)
    year_from = forms.IntegerField(required=False, min_value=1940, max_value=2100)
    year_to = forms.IntegerField(required=False, min_value=1940, max_value=2100)


PRECISIONS = PlacedRecord.Precision
