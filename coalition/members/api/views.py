"""`/api/v1/organisations/`: the public directory as open data (read-only)."""

from __future__ import annotations

from django.db.models import QuerySet

from coalition.lib.api.filters import (
    BooleanParameter,
    ChoiceParameter,
    CountryParameter,
    QueryParameters,
    TextParameter,
)
from coalition.lib.api.viewsets import BySlug, OpenDataViewSet, open_data_schema
from coalition.members import selectors
from coalition.members.api.serializers import OrganisationOutputSerializer
from coalition.members.models import Organisation


class OrganisationQuery(QueryParameters):
    search = TextParameter(help_text="Part of the name or city.")
    country = CountryParameter()
    type = ChoiceParameter(choices=Organisation.Type.values)
    # Only members are public: `status` accepts nothing else, so a typo is not an empty list.
    status = ChoiceParameter(choices=[Organisation.Status.MEMBER], help_text="Only members are ever listed.")
    steering_committee = BooleanParameter(help_text="true: only Steering Committee members; false: every member.")


@open_data_schema(
    summary="Member organisations",
    description="The coalition's member organisations (applicants and former members are not listed). "
    "Answers `?format=csv` too, with every organisation in one file.",
    one="One member organisation, by slug",
)
class OrganisationViewSet(BySlug, OpenDataViewSet):
    serializer_class = OrganisationOutputSerializer
    query_class = OrganisationQuery

    def get_queryset(self) -> QuerySet[Organisation]:
        query = self.query
        return selectors.directory_search(
            q=query.get("search", "").strip(),
            country=query.get("country", ""),
            type=query.get("type", ""),
            committee=query.get("steering_committee", False),
        )
