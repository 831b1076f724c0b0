"""Pages of a JSON list: `?page=N`, a whole number from 1, checked like every other parameter (decision 0901)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from coalition.lib.api.filters import IntegerParameter

# Django's paginator counts pages in an int; a page beyond the last is answered 404 (documented in the schema).
PAGE = IntegerParameter(minimum=1, maximum=2_147_483_647, help_text="A page number within the paginated result set.")
PAGE._name = "page"  # type: ignore[attr-defined]


def validate_page(request: Request) -> None:
    """400 naming `page` for `?page=`, `?page=0`, `?page=last` or `?page=1.5`: the schema says a whole number ≥ 1."""
    from django.core.exceptions import ValidationError as FormValidationError

    value = request.query_params.get("page")
    if value is None:
        return
    try:
        PAGE.clean(value)
    except FormValidationError as error:
        raise ValidationError({"page": [str(message) for message in error.messages]}) from None


class Pagination(PageNumberPagination):
    """DRF's page-number pagination, with the page parameter validated and documented as an integer ≥ 1."""

    last_page_strings = ()  # `?page=last` is not in the schema, so it is refused like any other non-number

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        validate_page(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(PAGE.help_text),
                "schema": PAGE.schema(),
            }
        ]
