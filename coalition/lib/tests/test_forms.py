"""The input rules every form applies (coalition/lib/forms.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import coalition
from coalition.lib.forms import (
    INTEGER_MAX,
    LINE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    InputRulesMixin,
    LongSelect,
    NameField,
    TextField,
    set_max_length,
    set_range,
)
from coalition.members.models import Organisation
from coalition.states.models import State


class ProfileForm(InputRulesMixin, forms.Form):
    name = forms.CharField()
    about = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)
    day = forms.DateField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A")], required=False)
    agree = forms.BooleanField(required=False)


def _errors(data: dict, form_class: type[forms.BaseForm] = ProfileForm) -> dict[str, list[str]]:
    form = form_class({"name": "Ada", **data})
    form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


@pytest.mark.parametrize("value", ["Ada\r\nBcc: victim@example.org", "Ada\nLovelace", "Ada\rLovelace", "Ada\u2028L"])
def test_a_one_line_field_refuses_a_line_break_with_a_clear_message(value):
    assert _errors({"name": value}) == {"name": ["Write this on one line, without line breaks."]}


def test_a_one_line_field_refuses_a_control_character_and_says_which():
    assert _errors({"name": "Ada\x07"}) == {
        "name": ["This holds an invisible control character (U+0007): please remove it."]
    }


def test_a_one_line_field_takes_what_people_type_in_any_script():
    assert _errors({"name": "ليلى بنت عبد الله‌ — Zoë =1+1 <b>"}) == {}


def test_several_lines_keep_their_line_breaks_and_tabs_but_not_other_control_characters():
    assert _errors({"about": "Dear minister,\r\n\r\n\tPlease act.\n"}) == {}
    assert _errors({"about": "Dear\x0cminister"}) == {
        "about": ["This holds an invisible control character (U+000C): please remove it."]
    }


# A check box is only ticked or not: whatever it sends becomes True or False before any check.
@pytest.mark.parametrize("name", ["name", "about", "count", "day", "kind"])
def test_a_nul_character_is_refused_by_every_kind_of_field(name):
    assert _errors({name: "1\x00"})[name] == ["This holds a NUL character, which cannot be stored."]


def test_a_nul_character_never_reaches_the_database_in_the_choice_of_a_row(db):
    State.objects.create(iso3="LAO", name="Laos")

    class StateForm(InputRulesMixin, forms.Form):
        state = forms.ModelChoiceField(queryset=State.objects.all())

    # PostgreSQL would fail on the lookup itself: the form refuses before looking.
    assert _errors({"state": "LAO\x00"}, StateForm) == {
        "state": ["This holds a NUL character, which cannot be stored."]
    }


def test_the_choice_of_a_row_by_an_id_no_database_column_holds_is_a_form_error(db):
    class PartnersForm(InputRulesMixin, forms.Form):
        one = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)
        several = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all(), required=False)

    huge = "9" * 30
    errors = _errors({"one": huge, "several": [huge]}, PartnersForm)
    assert errors["one"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert errors["several"] == [f"Select a valid choice. {huge} is not one of the available choices."]


def test_text_without_a_limit_gets_one_line_or_one_long_text_and_the_page_says_so():
    form = ProfileForm()
    assert form.fields["name"].max_length == LINE_MAX_LENGTH
    assert form.fields["about"].max_length == TEXT_MAX_LENGTH
    assert 'maxlength="20000"' in str(form["about"])
    assert _errors({"about": "x" * 1_000_000}) == {
        "about": ["Ensure this value has at most 20000 characters (it has 1000000)."]
    }


def test_a_number_without_a_range_is_kept_within_an_integer_column():
    assert _errors({"count": str(10**23)}) == {"count": [f"Ensure this value is less than or equal to {INTEGER_MAX}."]}
    assert _errors({"count": str(-(10**23))}) == {
        "count": [f"Ensure this value is greater than or equal to {-INTEGER_MAX}."]
    }


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_far_outside_any_campaign_is_refused(day):
    assert _errors({"day": day}) == {"day": ["Enter a date between the years 1000 and 3000."]}


def test_a_field_added_after_the_form_was_made_gets_the_rules_too():
    class LateForm(InputRulesMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["town"] = forms.CharField()

    assert _errors({"town": "Oslo\r\nX"}, LateForm) == {"town": ["Write this on one line, without line breaks."]}


def test_a_field_can_say_its_kind_where_the_widget_does_not():
    class ImportForm(InputRulesMixin, forms.Form):
        name = NameField()
        csv_text = TextField(widget=forms.HiddenInput, max_length=None)

    assert _errors({"name": "x" * 201, "csv_text": "name\r\nAlpha\r\n" * 5000}, ImportForm) == {
        "name": ["Ensure this value has at most 200 characters (it has 201)."]
    }


def test_a_lower_limit_replaces_the_default_one_so_a_value_gets_one_message():
    class EventForm(InputRulesMixin, forms.Form):
        capacity = forms.IntegerField()
        accessibility = forms.CharField(widget=forms.Textarea)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            set_range(self.fields["capacity"], 0, 1_000_000)
            set_max_length(self.fields["accessibility"], 4_000)

    assert _errors({"capacity": str(10**23), "accessibility": "x" * 30_000}, EventForm) == {
        "capacity": ["Ensure this value is less than or equal to 1000000."],
        "accessibility": ["Ensure this value has at most 4000 characters (it has 30000)."],
    }


# Django's authentication forms, which the accounts app extends; tests/hostile_input/ posts to them.
OWN_RULES = {"coalition.accounts.forms"}


def _project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(coalition.__path__, "coalition."):
        if not module_info.name.endswith(".forms") or module_info.name.startswith("coalition.lib"):
            continue
        module = importlib.import_module(module_info.name)
        found += [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm)
            and cls.__module__ == module.__name__
            and module.__name__ not in OWN_RULES
        ]
    return found


def test_every_form_of_the_project_applies_the_input_rules():
    forms_found = _project_forms()
    assert len(forms_found) > 30
    assert [cls.__qualname__ for cls in forms_found if not issubclass(cls, InputRulesMixin)] == []


@pytest.mark.parametrize("value", ["", "NOR", "LAO"])
def test_a_long_select_draws_the_same_html_as_djangos_select(value):
    choices = [("", "---------"), ("Europe", [("NOR", "Norway"), ("FRA", "France")]), ("LAO", "Lao <PDR> & co")]
    attrs = {"required": True, "aria-describedby": "x-help", "disabled": False}
    ours = LongSelect(attrs=attrs, choices=choices).render("state", value)
    djangos = forms.Select(attrs=attrs, choices=choices).render("state", value)
    assert " ".join(ours.split()) == " ".join(djangos.split())
    assert "Lao &lt;PDR&gt; &amp; co" in ours and f'<option value="{value}" selected>' in ours
