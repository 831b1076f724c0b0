"""Query-string filters of the API: an unknown value is a client's mistake, answered 400 with what is allowed.

An empty list would look like "no data" and hide the typo (`?status=state-party`), so it is never the answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _reject(name: str, value: str, allowed: str) -> ValidationError:
    return ValidationError(
        {
            name: [
                _("“%(value)s” is not an allowed value of %(name)s. Allowed: %(allowed)s.")
                % {"value": value, "name": name, "allowed": allowed}
            ]
        }
    )


def choice_param(request: Request, name: str, allowed: Iterable[str]) -> str:
    """The value of `name` (any case) as spelled in `allowed`, or "" when absent; 400 when unknown."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return ""
    allowed = list(allowed)
    by_lower = {choice.lower(): choice for choice in allowed}
    if value.lower() not in by_lower:
        raise _reject(name, value, ", ".join(allowed))
    return by_lower[value.lower()]


def bool_param(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE or not value:
        return False
    raise _reject(name, value, "true, false")


def country_param(request: Request, name: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code (any case), upper-cased; 400 for anything else."""
    from django_countries import countries

    value = request.query_params.get(name, "").strip().upper()
    if value and value not in dict(countries):
        raise _reject(name, value, _("a two-letter ISO 3166-1 country code, e.g. NO"))
    return value
