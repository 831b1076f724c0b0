"""The OpenAPI schema says what the API does (decision 0901): the declared query parameters of each list
(`view.query_class`, the same declaration that checks them), a CSV body as text, and every status a call can
return besides its success: 400 (a refused parameter), 401/403 (a wrong token), 404, 406 and 429."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_REFUSED_PARAMETERS = {
    "type": "object",
    "description": "Each refused parameter, with what is wrong and what is allowed; or, for a request refused "
    "as a whole (a NUL character in the address), `detail`.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(SpectacularAutoSchema):
    def _reads_query(self) -> bool:
        reads_query = getattr(self.view, "reads_query", None)
        return reads_query is not None and reads_query()

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        if not self._reads_query():
            return super()._get_filter_parameters()
        return [
            build_parameter_type(
                name=name,
                schema=field.schema(),
                location=OpenApiParameter.QUERY,
                description=str(field.help_text) or None,
            )
            for name, field in getattr(self.view, "query_class").parameters()  # noqa: B009  # checked above
        ]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for response in responses.values():
            content = response.get("content", {})
            if "text/csv" in content:
                content["text/csv"] = {
                    "schema": {"type": "string", "description": "CSV with a header row: every row, not one page."}
                }
        refused = _REFUSED_PARAMETERS if self.method == "GET" else {"type": "object"}
        errors = {
            "400": _json("A parameter (or the body) is refused: each one is named.", refused),
            "401": _json("The token or session given is not valid.", _DETAIL),
            "403": _json("Not allowed to do this, or the token or session given is not valid.", _DETAIL),
            "404": _json(
                "No such record." if self._is_detail() else "No such page (beyond the last), or no such record.",
                _DETAIL,
            ),
            "406": _json("None of the formats the Accept header asks for is offered.", _DETAIL),
        }
        if getattr(self.view, "throttle_classes", None):
            errors["429"] = _json("Too many requests: wait as many seconds as Retry-After says.", _DETAIL)
        for code, response in errors.items():
            responses.setdefault(code, response)
        return responses

    def _is_detail(self) -> bool:
        return "{" in self.path and not self._is_list_view()
