"""The one router of /api/v1/; apps register their viewsets here from their own `api` modules."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
