"""The routes of /api/v1/, listed once: each app's `api/views.py` defines its viewsets, and only this list
(above every app) names them, so no app imports the API. The order is the order of the API's root and schema."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from coalition.events.api.views import EventViewSet
from coalition.letters.api.views import ActionViewSet
from coalition.members.api.views import OrganisationViewSet
from coalition.research.api.views import CasualtyViewSet
from coalition.states.api.views import MeetingViewSet, StateViewSet

ROUTES = [
    ("states", StateViewSet, "state"),
    ("meetings", MeetingViewSet, "meeting"),
    ("events", EventViewSet, "event"),
    ("actions", ActionViewSet, "action"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("research/casualties", CasualtyViewSet, "research-casualty"),
]

router = DefaultRouter()
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)
