from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import coalition.members.api.views  # noqa: F401  registers organisations/ on the router
import coalition.research.api.views  # noqa: F401  registers research/casualties/ on the router
from coalition.api.router import router

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
