"""`/api/v1/actions/`: published actions with their counts (read-only open data)."""

from __future__ import annotations

from django.db.models import QuerySet

from coalition.letters import selectors
from coalition.letters.api.serializers import ActionOutputSerializer
from coalition.letters.models import Action
from coalition.lib.api.filters import BooleanParameter, QueryParameters
from coalition.lib.api.viewsets import BySlug, OpenDataViewSet, open_data_schema


class ActionQuery(QueryParameters):
    live = BooleanParameter(help_text="true: only actions open for letters today; false: every published action.")


@open_data_schema(
    summary="Letter actions",
    description="Published actions, live or ended, with the messages confirmed and sent so far (kept counts). "
    "Answers `?format=csv` too.",
    one="One action, by slug",
)
class ActionViewSet(BySlug, OpenDataViewSet):
    serializer_class = ActionOutputSerializer
    query_class = ActionQuery

    def get_queryset(self) -> QuerySet[Action]:
        if self.query.get("live"):
            return selectors.actions_live().order_by("-starts_on", "pk")
        return Action.objects.filter(status=Action.Status.PUBLISHED).order_by("-starts_on", "pk")
