"""The API's answer to a refused request: 400 with the refusal's messages, like a serializer's errors."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from coalition.lib.refusals import Refused


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Refused):
        key = exc.field or "non_field_errors"
        return Response({key: exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
