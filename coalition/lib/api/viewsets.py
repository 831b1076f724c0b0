"""The one mixin every viewset of /api/v1/ uses: declared query parameters, JSON, and complete streamed CSV.

- `query_class` (a `coalition.lib.api.filters.QueryParameters`) declares a list's parameters once (a list-like
  `@action(detail=False, query_class=...)` names its own): they are checked
  before any query (a 400 naming the parameter) and written into the OpenAPI schema (`coalition.api.schema`).
  The view reads the cleaned values from `self.query`.
- A list answers JSON (paginated) and `?format=csv` (or `.csv`): every row the JSON pages would hold, with the
  same permissions and parameters, streamed from `.iterator()` through `coalition.lib.csv_export.csv_response`,
  with a header row even when nothing matches. A detail answers JSON only.
- `?format=` anything else is a 400 naming `format`; an error is always JSON, never a download.

Add a CSV-capable `@action(detail=False)` to `csv_actions` (the casualty totals do).

An app's resource is an `OpenDataViewSet` (read-only, with the mixin); `BySlug` finds its records by slug, and
`open_data_schema` writes the list's and the detail's descriptions. Only `coalition.api.router` names the routes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from coalition.lib import page_cache
from coalition.lib.api.filters import NOT_ALLOWED, QueryParameters
from coalition.lib.api.pagination import validate_page
from coalition.lib.csv_export import csv_response
from coalition.lib.csv_renderer import CSVRenderer, csv_cell

# Rows fetched from the database at a time while a CSV streams (`.iterator(chunk_size=...)`, prefetches included).
CSV_CHUNK = 2000


class StrictFormatNegotiation(DefaultContentNegotiation):
    """`?format=` must name a format this answer offers (as the schema lists them): 400 naming `format` if not."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        name = self.settings.URL_FORMAT_OVERRIDE
        given = format_suffix if format_suffix is not None else request.query_params.get(name) if name else None
        offered = [renderer.format for renderer in renderers]
        if given is not None and given not in offered:
            raise ValidationError(
                {
                    name or "format": [
                        str(
                            NOT_ALLOWED % {"value": given[:40], "name": name or "format", "allowed": ", ".join(offered)}
                        )
                    ]
                }
            )
        return super().select_renderer(request, renderers, format_suffix)


# A resource found by its slug: the pattern is written into the schema, so clients (and schemathesis) do not send
# a value with a dot, which DRF's format suffixes would read as `<slug>.<format>`.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


# No docstrings on the two classes below: the schema describes an operation without its own description by the
# first docstring of the viewset's classes, which stays the mixin's.
class BySlug:
    # A resource whose detail is found by its slug (`/api/v1/<resource>/<slug>/`).

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN


def open_data_schema(*, description: str, summary: str | None = None, one: str | None = None) -> Any:
    """The schema's words for a resource: its list's `summary` and `description`, and its detail's summary (`one`)."""
    retrieve = {"retrieve": extend_schema(summary=one)} if one else {}
    return extend_schema_view(list=extend_schema(summary=summary, description=description), **retrieve)


class OpenDataMixin:
    """Mixed into every viewset of /api/v1/ (see the module's docstring)."""

    query_class: type[QueryParameters] | None = None
    csv_actions: ClassVar[Sequence[str]] = ("list",)
    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer, CSVRenderer]
    content_negotiation_class: type[BaseContentNegotiation] = StrictFormatNegotiation
    # The cleaned query parameters of this request (empty outside a list, and before `initial`).
    query: Mapping[str, Any] = MappingProxyType({})

    # --- formats -------------------------------------------------------------------------------------------

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = super().get_renderers()  # type: ignore[misc]
        if getattr(self, "action", None) in self.csv_actions:
            return renderers
        return [renderer for renderer in renderers if not isinstance(renderer, CSVRenderer)]

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)  # type: ignore[attr-defined]
        return isinstance(renderer, CSVRenderer)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # An error (a refused parameter, too many requests) is JSON, also when CSV was asked for: never a download.
        if isinstance(response, Response) and response.exception and self.wants_csv():
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]

    # --- parameters ----------------------------------------------------------------------------------------

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):  # type: ignore[attr-defined]
            # 405 before anything else is checked: a method this resource lacks is the first thing wrong.
            self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]  # formats, authentication, throttles
        self.query = {}
        if self.query_class is not None and self.reads_query():
            form = self.query_class(request.query_params)
            if not form.is_valid():
                raise ValidationError(form.errors_by_parameter())
            self.query = {name: value for name, value in form.cleaned_data.items() if value is not None}
        if getattr(self, "pagination_class", None) is not None and getattr(self, "action", None) == "list":
            validate_page(request)  # also for CSV, which is not paginated: the schema says what `page` takes

    def reads_query(self) -> bool:
        """Whether this action reads `query_class`: the list, and an `@action(query_class=...)` that names its own."""
        return self.query_class is not None and (getattr(self, "action", None) == "list" or "query_class" in vars(self))

    # --- CSV -----------------------------------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if self.wants_csv():
            return self.csv_download(self.filter_queryset(self.get_queryset()))  # type: ignore[attr-defined]
        page = super().list  # type: ignore[misc]
        if request.user.is_authenticated:  # a signed-in reader may see more (staff: events' statuses): theirs alone
            return page(request, *args, **kwargs)
        # Anonymous readers share each list page, kept until a table it read changes (coalition.lib.page_cache);
        # parameters, throttles and formats are checked above for every request all the same.
        key = f"api-list|{request.build_absolute_uri()}|{translation.get_language()}"
        return Response(page_cache.kept(key, lambda: _plain(page(request, *args, **kwargs).data)))

    def csv_download(self, rows: Iterable[Any], serializer: Serializer | None = None) -> HttpResponseBase:
        """Every row, serialized as the JSON list serializes it, streamed as CSV with a header row."""
        if serializer is None:
            serializer = self.get_serializer()  # type: ignore[attr-defined]
        assert serializer is not None
        fields = [name for name, field in serializer.fields.items() if not field.write_only]
        if isinstance(rows, QuerySet):
            rows = rows.iterator(chunk_size=CSV_CHUNK)

        def lines() -> Iterator[list[Any]]:
            for row in rows:
                data = serializer.to_representation(row)
                yield [csv_cell(data.get(name)) for name in fields]

        name = getattr(self, "basename", None) or "data"
        action = getattr(self, "action", None)
        if action and action != "list":
            name = f"{name}-{action}"
        return csv_response(lines(), filename=f"{name}.csv", header=fields)


def _plain(data: Any) -> Any:
    """The answer's data as JSON would carry it (plain dicts and lists, no serializer attached), to be kept."""
    return json.loads(JSONRenderer().render(data))


class OpenDataViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    # A read-only resource of /api/v1/ (no docstring: see `BySlug`): its list (JSON, or every row as CSV), details.
    # Open data: anyone may read it (a resource with a staff-only part, such as events' statuses, checks it itself).
    permission_classes: Sequence[type[BasePermission]] = [AllowAny]
