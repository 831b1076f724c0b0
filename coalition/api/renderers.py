"""`?format=csv` for any list endpoint: add `CSVExportMixin` to a viewset (a page of JSON, every row as CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CSVRenderer(BaseRenderer):
    """Rows of a list response (paginated or not) as CSV, one column per field; nested values as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping | None = None
    ) -> bytes:
        if isinstance(data, Mapping) and "results" in data:
            data = data["results"]
        rows: Sequence[Any] = data if isinstance(data, list) else [data]
        header: list[str] = []
        for row in rows:
            for key in row if isinstance(row, Mapping) else ():
                if key not in header:
                    header.append(key)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key in header] if isinstance(row, Mapping) else [_cell(row)])
        return out.getvalue().encode(self.charset)


class CSVExportMixin:
    """Adds the CSV renderer; a CSV download holds every row, so it is not paginated."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]

    def paginate_queryset(self, queryset: Any) -> Any:
        renderer = getattr(self.request, "accepted_renderer", None)  # type: ignore[attr-defined]
        if renderer is not None and renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)  # type: ignore[misc]
