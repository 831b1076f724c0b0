"""`/api/v1/events/`: published events as open data (read-only); staff may also list other statuses."""

from __future__ import annotations

from django.db.models import QuerySet

from coalition.events import selectors
from coalition.events.api.serializers import EventOutputSerializer
from coalition.events.models import Event
from coalition.lib.api.filters import (
    ChoiceParameter,
    CountryParameter,
    DateParameter,
    QueryParameters,
    SlugParameter,
    narrow,
)
from coalition.lib.api.viewsets import OpenDataViewSet, open_data_schema


class EventQuery(QueryParameters):
    country = CountryParameter()
    organisation = SlugParameter(help_text="Slug of an organising or partner member.")
    kind = ChoiceParameter(choices=Event.Kind.values)
    when = ChoiceParameter(choices=["upcoming", "past", "all"], help_text="Default: all.")
    starts_after = DateParameter(help_text="Starting on or after this date (UTC).")
    starts_before = DateParameter(help_text="Starting on or before this date (UTC).")
    status = ChoiceParameter(
        choices=Event.Status.values, help_text="Staff only; the public always gets published (and cancelled) events."
    )


@open_data_schema(
    summary="Events",
    description="Published events of the coalition's members, and cancelled ones (status `cancelled`), "
    "in a stable order (start, then id). Answers `?format=csv` too. The street address and "
    "coordinates are null where the organisers show them only to attendees.",
    one="One event",
)
class EventViewSet(OpenDataViewSet):
    serializer_class = EventOutputSerializer
    query_class = EventQuery

    def get_queryset(self) -> QuerySet[Event]:
        query = self.query
        return narrow(
            selectors.events_search(
                when=query.get("when", "all"),
                country=query.get("country", ""),
                kind=query.get("kind", ""),
                organisation=query.get("organisation", ""),
                date_from=query.get("starts_after"),
                date_to=query.get("starts_before"),
                # Drafts and events under review are for staff only.
                every_status=self.request.user.has_perm("events.view_event"),
            ),
            query,
            "status",
        )
