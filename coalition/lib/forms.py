"""The rules every form applies to what people type, in one place (decision 0015).

Every form of the project mixes in `InputRulesMixin`. It walks the form's fields (declared, generated from a
model, or added in `__init__`) and gives each the rule of its kind:

- one-line text (a `TextInput`: names, titles, towns, subjects): no line break and no control character, since
  the value ends up in e-mail headers, CSV cells and one-line displays; at most `LINE_MAX_LENGTH` characters
  unless the field says less;
- multi-line text (a `Textarea`): line breaks and tabs allowed, other control characters refused; at most
  `TEXT_MAX_LENGTH` characters unless the field says less;
- numbers: at most `INTEGER_MAX` (what every database keeps in an integer column) unless the field says less;
- dates: years `DATE_MIN_YEAR` to `DATE_MAX_YEAR`, a rail far from what Python can represent, so date arithmetic
  (the day before, a time zone's offset) never overflows; forms add their own, tighter rules;
- every field, whatever its kind: a NUL character is refused before the value reaches the database (PostgreSQL
  cannot store or compare it, not even to look up a choice), and so is the choice of a row by an id no database
  column can hold (SQLite cannot compare it).

The field classes below say the kind explicitly where a widget would not (a hidden field holding a whole CSV).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 200
LINE_MAX_LENGTH = 300
COMMENT_MAX_LENGTH = 4_000
TEXT_MAX_LENGTH = 20_000
# The largest value of an integer column in PostgreSQL and of a 32-bit integer everywhere.
INTEGER_MAX = 2_147_483_647
DATE_MIN_YEAR = 1000
DATE_MAX_YEAR = 3000

# What str.splitlines() breaks on, beyond CR and LF: a line break for any program that reads the text later.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Kept in multi-line text: what a keyboard types (tab, and the line breaks browsers send as CR LF).
TEXT_WHITESPACE = frozenset("\t\r\n")

NUL_MESSAGE = _("This holds a NUL character, which cannot be stored.")
LINE_BREAK_MESSAGE = _("Write this on one line, without line breaks.")
CONTROL_MESSAGE = _("This holds an invisible control character (%(code)s): please remove it.")


def _control(char: str) -> bool:
    # Cc: C0 and C1 control characters; Cs: halves of surrogate pairs, which no database can store alone.
    return unicodedata.category(char) in ("Cc", "Cs")


# Every character _refuse_controls may refuse: C0 and C1 controls (Cc), surrogates (Cs), and the two line breaks
# that are not controls. One regex scan finds them; a letter of a thousand characters is not walked in Python.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _refuse_controls(value: str, *, allowed: frozenset[str]) -> None:
    for found in _SUSPECT.finditer(value):
        char = found.group()
        if char in allowed:
            continue
        if char == "\x00":
            raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        if char in LINE_BREAKS and "\n" not in allowed:
            raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")
        if char in LINE_BREAKS or _control(char):
            raise ValidationError(CONTROL_MESSAGE, code="control_character", params={"code": f"U+{ord(char):04X}"})


def validate_single_line(value: Any) -> None:
    """Refuse line breaks and control characters: one-line values go into e-mail headers (a name with CR LF
    makes the message undeliverable), CSV cells and single-line displays."""
    if isinstance(value, str):
        _refuse_controls(value, allowed=frozenset())


def validate_text(value: Any) -> None:
    """Multi-line text keeps its line breaks and tabs; other control characters are refused (they cannot be
    stored, as NUL, or break the feeds, PDFs and exports that show the text)."""
    if isinstance(value, str):
        _refuse_controls(value, allowed=TEXT_WHITESPACE)


def validate_year_in_range(value: Any) -> None:
    """Dates far outside the campaign's time would overflow the arithmetic done on them (the day before,
    the month after, a time zone's offset)."""
    if isinstance(value, date) and not DATE_MIN_YEAR <= value.year <= DATE_MAX_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": DATE_MIN_YEAR, "last": DATE_MAX_YEAR},
        )


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


class LineField(forms.CharField):
    """One line of text (at most `LINE_MAX_LENGTH` characters unless given `max_length`)."""

    def __init__(self, *, max_length: int | None = LINE_MAX_LENGTH, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(validate_single_line)


class NameField(LineField):
    """The name of a person or an organisation, a title or a subject: one line of at most 200 characters."""

    def __init__(self, *, max_length: int | None = NAME_MAX_LENGTH, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)


class TextField(forms.CharField):
    """Several lines of text (at most `TEXT_MAX_LENGTH` characters unless given `max_length`)."""

    widget = forms.Textarea

    def __init__(self, *, max_length: int | None = TEXT_MAX_LENGTH, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(validate_text)


def set_max_length(field: forms.Field, limit: int) -> None:
    """Give a text field (declared or generated from a model) a lower limit than the one it has."""
    assert isinstance(field, forms.CharField)
    field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(limit))
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(limit)


def set_range(field: forms.Field, minimum: int, maximum: int) -> None:
    """Give a number field (declared or generated from a model) the range that makes sense for it."""
    assert isinstance(field, forms.IntegerField)  # FloatField and DecimalField too
    field.min_value, field.max_value = minimum, maximum
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]
    field.validators += [MinValueValidator(minimum), MaxValueValidator(maximum)]
    field.widget.attrs.update({"min": str(minimum), "max": str(maximum)})


# The largest integer a database column holds: a choice of a row beyond it names no row, and SQLite cannot even
# compare it.
ROW_ID_MAX = 2**63 - 1


def _beyond_any_row(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_beyond_any_row(item) for item in value)
    if not isinstance(value, str) or not value.strip().lstrip("+-").isdecimal():
        return False
    try:
        return abs(int(value)) > ROW_ID_MAX
    except ValueError:  # more digits than Python converts
        return True


def _guard(field: forms.Field, clean: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if holds_nul(value):
            raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        if isinstance(field, forms.ModelChoiceField) and _beyond_any_row(value):
            shown = value[-1] if isinstance(value, list | tuple) else value
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(shown)[:40]}
            )
        return clean(value, *args, **kwargs)

    return guarded


def apply_input_rules(field: forms.Field) -> None:
    """Give one field the rules of its kind (see the module's docstring); a field is only done once."""
    if getattr(field, "input_rules_applied", False):
        return
    field.input_rules_applied = True  # type: ignore[attr-defined]
    # Before the field's own cleaning, which may look the value up in the database (a choice of a model).
    field.clean = _guard(field, field.clean)  # type: ignore[method-assign]
    if isinstance(field, LineField | TextField):
        return
    if isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        if field.max_length is None:
            set_max_length(field, TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH)
        field.validators.append(validate_text if multiline else validate_single_line)
    elif isinstance(field, forms.IntegerField):  # FloatField and DecimalField too
        low, high = field.min_value, field.max_value
        if (low is None or high is None) and not (callable(low) or callable(high)):
            set_range(field, -INTEGER_MAX if low is None else low, INTEGER_MAX if high is None else high)
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validate_year_in_range)


class InputRulesMixin(forms.BaseForm):
    """Mixed into every form of the project: each field gets the rules of its kind (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_input_rules()

    def apply_input_rules(self) -> None:
        for field in self.fields.values():
            apply_input_rules(field)

    def full_clean(self) -> None:
        # Again, for fields a subclass added after this mixin's __init__ ran.
        self.apply_input_rules()
        super().full_clean()


class LongSelect(forms.Select):
    """A `Select` of many options (every state, every country) drawn in one template: Django's own includes a
    template per option, which made the state chooser most of an action page's time to draw. Same HTML."""

    template_name = "core/widgets/select.html"


def fields_of(data: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The named cleaned values, as the keyword arguments of a service that takes them under the same names:
    `supporter_sign_up(**fields_of(form.cleaned_data, "name", "email"), ...)`."""
    return {name: data[name] for name in names}
