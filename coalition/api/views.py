"""What /api/v1/ answers for a path that names nothing: a JSON 404, like every other error of the API."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from rest_framework.exceptions import NotFound


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    # The API's other 404s come from DRF as {"detail": …}; a client parses this one the same way.
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
