from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from coalition.lib.api.filters import ChoiceParameter, QueryParameters, narrow
from coalition.lib.api.pagination import Pagination
from coalition.lib.api.viewsets import BySlug, OpenDataViewSet, open_data_schema
from coalition.states import selectors
from coalition.states.api.serializers import (
    MeetingSerializer,
    StateDetailSerializer,
    StateObligationsSerializer,
    StateSerializer,
)
from coalition.states.models import Meeting, Region, State, TreatyStatus


class AllStatesPagination(Pagination):
    # About two hundred states: one page holds them all, so a client never misses one.
    page_size = 250


class StateQuery(QueryParameters):
    status = ChoiceParameter(choices=TreatyStatus.values)
    region = ChoiceParameter(choices=Region.values)


@extend_schema_view(
    list=extend_schema(
        description="Every state with its treaty status, derived from dated events. `?format=csv` for CSV."
    ),
    retrieve=extend_schema(description="One state by ISO 3166 alpha-3 code, with its dated treaty events."),
)
class StateViewSet(OpenDataViewSet):
    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    pagination_class = AllStatesPagination
    query_class = StateQuery

    def get_queryset(self) -> QuerySet[State]:
        queryset = State.objects.order_by("iso3")
        if self.action == "retrieve":
            return queryset.prefetch_related("events")
        return narrow(queryset, self.query, "status", "region")

    def get_object(self) -> State:
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object()

    def get_serializer_class(self) -> type[StateSerializer]:
        return StateDetailSerializer if self.action == "retrieve" else StateSerializer

    @extend_schema(
        description="The state's obligations under the Convention, each with its deadline and a status derived "
        "from dated records (met, pending, due_soon, overdue, extended).",
        responses=StateObligationsSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def obligations(self, request: Request, iso3: str, format: str | None = None) -> Response:  # noqa: A002
        state = self.get_object()
        return Response(StateObligationsSerializer(selectors.state_obligations(state)).data)


@open_data_schema(description="International meetings of the treaty process, with participants.")
class MeetingViewSet(BySlug, OpenDataViewSet):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.prefetch_related("participations")
