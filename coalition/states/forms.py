from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.lib.forms import InputRulesMixin
from coalition.states import obligations
from coalition.states.models import NationalMeasure, Region, StateFact, TreatyStatus
from coalition.states.services import MEASURE_FIELDS
from coalition.states.templatetags import obligation_tags


class StateFilterForm(InputRulesMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Treaty status"), required=False, choices=[("", _("Any status")), *TreatyStatus.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices])
    fact = forms.ChoiceField(label=_("Facts"), required=False, choices=[("", _("Any")), *StateFact.Kind.choices])


class NationalMeasureForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = NationalMeasure
        fields = MEASURE_FIELDS  # the fields services.measure_create/measure_update accept
        widgets = {
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "completed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"source": _("A link or a citation: every measure says where it comes from.")}

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        started, deadline, completed = cleaned.get("started"), cleaned.get("deadline"), cleaned.get("completed")
        if started and completed and completed < started:
            self.add_error("completed", _("The completion date is before the start date."))
        if started and deadline and deadline < started:
            self.add_error("deadline", _("The deadline is before the start date."))
        return cleaned


class ObligationFilterForm(InputRulesMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *[(s, obligation_tags.STATUS_LABELS[s]) for s in obligations.STATUSES]],
    )
    article = forms.ChoiceField(
        label=_("Article"),
        required=False,
        choices=[("", _("Any article")), *[(a, obligation_tags.ARTICLE_LABELS[a]) for a in obligations.ARTICLES]],
    )
    due = forms.ChoiceField(
        label=_("Deadline"), required=False, choices=[("", _("Any deadline")), ("this_year", _("Due this year"))]
    )
