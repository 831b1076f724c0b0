from __future__ import annotations

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from coalition.api.router import router
from coalition.api.views import not_found

urlpatterns = [
    path("api/v1/", include(router.urls)),
    # Any other path under /api/v1/ (ending in a slash; without one, Django first redirects to it): a JSON 404,
    # not the site's HTML page, as the schema documents.
    re_path(r"^api/v1/(?P<path>.*/)$", not_found),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (?script), so the docs need no inline script. Swagger
    # UI sets a few inline styles as it draws: allowed on this page only, scripts stay 'self'.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
