"""A CSV renderer for DRF list endpoints (`?format=csv`): one row per object, nested values flattened."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer


def spreadsheet_safe(value: Any) -> Any:
    """Text typed by the public must not run as a formula when someone opens the CSV in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(spreadsheet_safe(value))
    return str(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        buffer = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: _cell(value) for key, value in row.items()})
        return buffer.getvalue().encode(self.charset)
