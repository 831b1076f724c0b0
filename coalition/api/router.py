"""The one router of /api/v1/; apps register their viewsets here from their own `api` modules."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from coalition.states.api.views import MeetingViewSet, StateViewSet

router = DefaultRouter()
router.register("states", StateViewSet, basename="state")
router.register("meetings", MeetingViewSet, basename="meeting")
