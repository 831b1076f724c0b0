"""What the API's serializers share: links written as absolute addresses when the request is known."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class AbsoluteLinks:
    """Mixed into a serializer: `absolute(path)` is the full address of a page or file (a path without a request)."""

    context: dict[str, Any]

    def absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PublicPageSerializer(AbsoluteLinks, serializers.ModelSerializer):
    """A record with a public page: `url` is that page's full address (list `"url"` in `Meta.fields`)."""

    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return self.absolute(obj.get_absolute_url())
