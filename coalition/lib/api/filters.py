"""Query parameters of the API, declared once: the declaration validates the request and writes the schema.

Each list of /api/v1/ names a `QueryParameters` form (`query_class` on the viewset, or on an `@action`). Its
fields are the kinds below; each kind knows the values it accepts and says so in OpenAPI terms (`schema()`), so
what the schema promises and what the server accepts cannot drift apart (decision 0901):

- a parameter given with an empty value (`?kind=`) is refused: an empty value is never a valid one;
- an unknown value (`?status=state-party`, `?when=AAA`), a malformed date or number, or an out-of-range number is
  refused with a 400 whose JSON body names the parameter and says what is allowed. An empty list would look like
  "no data" and hide the typo, so it is never the answer;
- every value the schema allows is accepted. Spellings are exact (`ngo`, not `NGO`; `NO`, not `no`): the schema
  lists them, and a client that follows it never meets a refusal.

Filtering itself stays in each app's selectors: views read the cleaned values from `view.query`. A parameter
that is a field's exact value (`?status=`, `?region=`) narrows the list through `narrow`, the same in every list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

NOT_ALLOWED = _("“%(value)s” is not an allowed value of %(name)s. Allowed: %(allowed)s.")
EMPTY = _("%(name)s is given without a value: give one, or leave the parameter out.")
# Control characters (and NUL, which PostgreSQL cannot compare) have no place in a query value.
_NO_CONTROLS = r"[^\x00-\x1f\x7f]"


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


class QueryField(forms.Field):
    """One query parameter: what it accepts (`parse`) and how the schema says so (`schema`): the two must agree.

    `allowed` is the human description of the accepted values, used in the error message.
    """

    allowed: Any = ""

    def __init__(self, *, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(required=False, help_text=help_text, **kwargs)

    def refuse(self, value: str) -> FormValidationError:
        return FormValidationError(
            NOT_ALLOWED, code="invalid", params={"value": _shown(value), "name": self.name, "allowed": self.allowed}
        )

    def clean(self, value: Any) -> Any:
        if value is None:  # not given
            return None
        if value == "":
            raise FormValidationError(EMPTY, code="empty", params={"name": self.name})
        return self.parse(str(value))

    def parse(self, value: str) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return getattr(self, "_name", "")


class ChoiceParameter(QueryField):
    """One of a fixed list of values, spelled exactly as listed."""

    def __init__(self, *, choices: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.allowed = ", ".join(self.choices)

    def parse(self, value: str) -> str:
        if value not in self.choices:
            raise self.refuse(value)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": self.choices}


class CountryParameter(ChoiceParameter):
    """An ISO 3166-1 alpha-2 code in capitals (`NO`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code in capitals, e.g. NO.")
        super().__init__(choices=sorted(code for code, _name in countries), **kwargs)
        self.allowed = _("a two-letter ISO 3166-1 country code, e.g. NO")


class StateParameter(ChoiceParameter):
    """An ISO 3166-1 alpha-3 code in capitals (`LAO`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-3 code in capitals, e.g. LAO.")
        super().__init__(choices=sorted(countries.alpha3(code) for code, _name in countries), **kwargs)
        self.allowed = _("a three-letter ISO 3166-1 code, e.g. LAO")


class BooleanParameter(QueryField):
    allowed = "true, false"

    def parse(self, value: str) -> bool:
        if value not in ("true", "false"):
            raise self.refuse(value)
        return value == "true"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateParameter(QueryField):
    """A calendar date written as ISO 8601 says (`2024-05-31`), as the schema's `format: date`."""

    allowed = _("a date as YYYY-MM-DD")

    def parse(self, value: str) -> date:
        if not _ISO_DATE.fullmatch(value):
            raise self.refuse(value)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.refuse(value) from None

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


class IntegerParameter(QueryField):
    """A whole number written plainly (no sign but `-`, no leading zero, no spaces), within a range."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    @property
    def allowed(self) -> str:
        bounds = {"minimum": self.minimum, "maximum": self.maximum}
        return gettext("a whole number from %(minimum)s to %(maximum)s") % bounds

    def parse(self, value: str) -> int:
        if len(value) > 20 or not _INTEGER.fullmatch(value) or not self.minimum <= int(value) <= self.maximum:
            raise self.refuse(value)
        return int(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


class TextParameter(QueryField):
    """Free text on one line (a search), `max_length` characters at most; `pattern` narrows it (a slug)."""

    def __init__(self, *, max_length: int = 100, pattern: str = _NO_CONTROLS + "+", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length, self.pattern = max_length, pattern

    @property
    def allowed(self) -> str:
        return gettext("text of at most %(count)s characters on one line, without control characters") % {
            "count": self.max_length
        }

    def parse(self, value: str) -> str:
        if len(value) > self.max_length or not re.fullmatch(self.pattern, value):
            raise self.refuse(value)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": f"^(?:{self.pattern})$"}


class SlugParameter(TextParameter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pattern="[-a-zA-Z0-9_]+", max_length=100, **kwargs)

    @property
    def allowed(self) -> str:
        return gettext("a slug: letters, digits, - and _")


class QueryParameters(forms.Form):
    """The declared query parameters of one list. Subclasses declare fields of the kinds above."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        for name, field in self.fields.items():
            field._name = name  # type: ignore[attr-defined]  # for the messages

    def errors_by_parameter(self) -> dict[str, list[str]]:
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}

    @classmethod
    def parameters(cls) -> list[tuple[str, QueryField]]:
        """(name, field) of each declared parameter, for the schema."""
        form = cls({})
        return [(name, field) for name, field in form.fields.items() if isinstance(field, QueryField)]


M = TypeVar("M", bound=Model)


def narrow(queryset: QuerySet[M], query: Mapping[str, Any], *names: str) -> QuerySet[M]:
    """The rows whose field `name` has the value of the parameter `name`, for each of `names` the request gave."""
    given = {name: query[name] for name in names if name in query}
    return queryset.filter(**given) if given else queryset
