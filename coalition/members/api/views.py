"""`/api/v1/organisations/`: the public directory as open data (read-only)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from coalition.api.filters import bool_param, choice_param, country_param
from coalition.api.renderers import CSVExportMixin
from coalition.api.router import router
from coalition.members import selectors
from coalition.members.api.serializers import OrganisationOutputSerializer
from coalition.members.models import Organisation

FILTERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Part of the name or city."),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code, e.g. NO."),
    OpenApiParameter("type", OpenApiTypes.STR, enum=Organisation.Type.values),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=[Organisation.Status.MEMBER], description="Only members are ever listed."
    ),
    OpenApiParameter("steering_committee", OpenApiTypes.BOOL, description="Only Steering Committee members."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Member organisations",
        description="The coalition's member organisations (applicants and former members are not listed). "
        "Answers `?format=csv` too, with every organisation in one file.",
        parameters=FILTERS,
    ),
    retrieve=extend_schema(summary="One member organisation, by slug"),
)
class OrganisationViewSet(CSVExportMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationOutputSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Organisation]:
        request = self.request
        if self.action == "list":
            # Only members are public: `status` accepts nothing else, so a typo is not an empty list.
            choice_param(request, "status", [Organisation.Status.MEMBER])
        return selectors.directory_search(
            q=request.query_params.get("search", "").strip(),
            country=country_param(request) if self.action == "list" else "",
            type=choice_param(request, "type", Organisation.Type.values) if self.action == "list" else "",
            committee=bool_param(request, "steering_committee") if self.action == "list" else False,
        )


router.register("organisations", OrganisationViewSet, basename="organisation")
