"""`/api/v1/events/`: published events as open data (read-only); staff may also list other statuses."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from coalition.api.router import router
from coalition.events import selectors
from coalition.events.api.serializers import EventOutputSerializer
from coalition.events.models import Event
from coalition.lib.csv_renderer import CSVRenderer

FILTERS = [
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code, e.g. NO."),
    OpenApiParameter("organisation", OpenApiTypes.STR, description="Slug of an organising or partner member."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Event.Kind.values),
    OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past", "all"], description="Default: all."),
    OpenApiParameter("starts_after", OpenApiTypes.DATE, description="Starting on or after this date (UTC)."),
    OpenApiParameter("starts_before", OpenApiTypes.DATE, description="Starting on or before this date (UTC)."),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=Event.Status.values,
        description="Staff only; the public always gets published (and cancelled) events.",
    ),
]


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: "Expected a date as YYYY-MM-DD."}) from None


@extend_schema_view(
    list=extend_schema(
        summary="Events",
        description="Published events of the coalition's members, and cancelled ones (status `cancelled`), "
        "in a stable order (start, then id). Answers `?format=csv` too. The street address and "
        "coordinates are null where the organisers show them only to attendees.",
        parameters=FILTERS,
    ),
    retrieve=extend_schema(summary="One event"),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventOutputSerializer
    permission_classes = [AllowAny]
    renderer_classes = [*cast(list[Any], api_settings.DEFAULT_RENDERER_CLASSES), CSVRenderer]

    def get_queryset(self) -> QuerySet[Event]:
        params = self.request.query_params
        when = params.get("when", "all").strip()
        queryset = selectors.events_search(
            when=when if when in {"upcoming", "past"} else "all",
            country=params.get("country", "").strip().upper(),
            kind=params.get("kind", "").strip(),
            organisation=params.get("organisation", "").strip(),
            date_from=_date(params.get("starts_after", "").strip(), "starts_after"),
            date_to=_date(params.get("starts_before", "").strip(), "starts_before"),
            # Drafts and events under review are for staff only.
            every_status=self.request.user.has_perm("events.view_event"),
        )
        status = params.get("status", "").strip()
        if status:
            queryset = queryset.filter(status=status)
        return queryset


router.register("events", EventViewSet, basename="event")
