"""`/api/v1/research/casualties/` (approved, anonymised records) and `.../summary/` (totals by state and year)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from coalition.lib.api.filters import DateParameter, IntegerParameter, QueryParameters, StateParameter
from coalition.lib.api.viewsets import OpenDataViewSet, open_data_schema
from coalition.research import selectors
from coalition.research.api.serializers import CasualtyOutputSerializer, CasualtySummarySerializer
from coalition.research.models import Casualty


class CasualtyQuery(QueryParameters):
    state = StateParameter()
    date_from = DateParameter(help_text="Records on or after this date.")
    date_to = DateParameter(help_text="Records on or before this date.")


class CasualtySummaryQuery(QueryParameters):
    state = StateParameter()
    year_from = IntegerParameter(minimum=1, maximum=9999, help_text="Years from this one.")
    year_to = IntegerParameter(minimum=1, maximum=9999, help_text="Years up to this one.")


@open_data_schema(
    summary="Casualty records",
    description="Approved casualty records, without personal data (no names, no addresses). "
    "Only records a coalition reviewer approved are listed. Coordinates are rounded to two decimals "
    "(about 1 km), whatever precision was recorded. Answers `?format=csv` too.",
    one="One approved casualty record",
)
class CasualtyViewSet(OpenDataViewSet):
    serializer_class = CasualtyOutputSerializer
    query_class = CasualtyQuery
    csv_actions = ("list", "summary")

    def get_queryset(self) -> QuerySet[Casualty]:
        query = self.query
        filters = selectors.PublicFilters(state=query.get("state", ""))
        return selectors.casualties_public(
            filters, date_from=query.get("date_from"), date_to=query.get("date_to")
        ).select_related("source")

    @extend_schema(
        summary="Casualty totals by state and year",
        description="Killed, injured and the number of records, of approved records only, by state and year. "
        "Answers `?format=csv` too.",
        responses=CasualtySummarySerializer(many=True),
    )
    @action(detail=False, pagination_class=None, query_class=CasualtySummaryQuery)
    def summary(self, request: Request, format: str | None = None) -> Any:
        query = self.query
        rows = selectors.casualty_summary(
            state=query.get("state", ""), year_from=query.get("year_from"), year_to=query.get("year_to")
        )
        if self.wants_csv():
            return self.csv_download(rows, CasualtySummarySerializer())
        return Response(CasualtySummarySerializer(rows, many=True).data)
