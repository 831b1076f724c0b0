"""`/api/v1/actions/`: published actions with their counts (read-only open data)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from coalition.api.filters import BooleanParameter, QueryParameters
from coalition.api.router import router
from coalition.api.viewsets import SLUG_PATTERN, OpenDataMixin
from coalition.letters import selectors
from coalition.letters.api.serializers import ActionOutputSerializer
from coalition.letters.models import Action


class ActionQuery(QueryParameters):
    live = BooleanParameter(help_text="true: only actions open for letters today; false: every published action.")


@extend_schema_view(
    list=extend_schema(
        summary="Letter actions",
        description="Published actions, live or ended, with the messages confirmed and sent so far (kept counts). "
        "Answers `?format=csv` too.",
    ),
    retrieve=extend_schema(summary="One action, by slug"),
)
class ActionViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionOutputSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    query_class = ActionQuery

    def get_queryset(self) -> QuerySet[Action]:
        if self.query.get("live"):
            return selectors.actions_live().order_by("-starts_on", "pk")
        return Action.objects.filter(status=Action.Status.PUBLISHED).order_by("-starts_on", "pk")


router.register("actions", ActionViewSet, basename="action")
