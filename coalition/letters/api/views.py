"""`/api/v1/actions/`: published actions with their counts (read-only open data)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from coalition.api.router import router
from coalition.letters import selectors
from coalition.letters.api.serializers import ActionOutputSerializer
from coalition.letters.models import Action
from coalition.lib.csv_renderer import CSVRenderer


@extend_schema_view(
    list=extend_schema(
        summary="Letter actions",
        description="Published actions, live or ended, with the messages confirmed and sent so far (kept counts). "
        "Answers `?format=csv` too.",
        parameters=[OpenApiParameter("live", OpenApiTypes.BOOL, description="Only actions open for letters today.")],
    ),
    retrieve=extend_schema(summary="One action, by slug"),
)
class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionOutputSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]  # type: ignore[list-item]

    def get_queryset(self) -> QuerySet[Action]:
        if self.request.query_params.get("live", "").lower() in {"1", "true", "yes"}:
            return selectors.actions_live().order_by("-starts_on", "pk")
        return Action.objects.filter(status=Action.Status.PUBLISHED).order_by("-starts_on", "pk")


router.register("actions", ActionViewSet, basename="action")
