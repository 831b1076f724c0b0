"""`/api/v1/research/casualties/` (approved, anonymised records) and `.../summary/` (totals by state and year)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from coalition.api.router import router
from coalition.lib.csv_renderer import CSVRenderer
from coalition.research import selectors
from coalition.research.api.serializers import CasualtyOutputSerializer, CasualtySummarySerializer
from coalition.research.models import Casualty

FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, description="ISO 3166-1 alpha-3 code, e.g. LAO."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Records on or after this date."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Records on or before this date."),
]
SUMMARY_FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, description="ISO 3166-1 alpha-3 code, e.g. LAO."),
    OpenApiParameter("year_from", OpenApiTypes.INT),
    OpenApiParameter("year_to", OpenApiTypes.INT),
]


def _date(params: Any, name: str) -> date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: "Expected a date as YYYY-MM-DD."}) from None


def _int(params: Any, name: str) -> int | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    if not (text.isdecimal() and len(text) <= 4):  # "²" is a digit that int() refuses
        raise ValidationError({name: "Expected a year."})
    return int(text)


@extend_schema_view(
    list=extend_schema(
        summary="Casualty records",
        description="Approved casualty records, without personal data (no names, no addresses). "
        "Only records a coalition reviewer approved are listed. Coordinates are rounded to two decimals "
        "(about 1 km), whatever precision was recorded. Answers `?format=csv` too.",
        parameters=FILTERS,
    ),
    retrieve=extend_schema(summary="One approved casualty record"),
)
class CasualtyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CasualtyOutputSerializer
    permission_classes = [AllowAny]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]  # type: ignore[list-item]

    def get_queryset(self) -> QuerySet[Casualty]:
        params = self.request.query_params
        filters = selectors.PublicFilters(state=params.get("state", "").strip().upper())
        return selectors.casualties_public(
            filters, date_from=_date(params, "date_from"), date_to=_date(params, "date_to")
        ).select_related("source")

    @extend_schema(
        summary="Casualty totals by state and year",
        description="Killed, injured and the number of records, of approved records only, by state and year.",
        parameters=SUMMARY_FILTERS,
        responses=CasualtySummarySerializer(many=True),
    )
    @action(detail=False, pagination_class=None)
    def summary(self, request: Request, format: str | None = None) -> Response:
        params = request.query_params
        rows = selectors.casualty_summary(
            state=params.get("state", "").strip().upper(),
            year_from=_int(params, "year_from"),
            year_to=_int(params, "year_to"),
        )
        return Response(CasualtySummarySerializer(rows, many=True).data)


router.register("research/casualties", CasualtyViewSet, basename="research-casualty")
