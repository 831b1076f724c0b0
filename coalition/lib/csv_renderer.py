"""`?format=csv` as a DRF format: the renderer that content negotiation picks for `text/csv`.

Lists of the API stream their CSV themselves (`coalition.lib.api.viewsets.OpenDataMixin.csv_download`, through
`lib.csv_export`), so this renderer only writes data handed to it as a `Response` (one row per object), through
the same writer.
"""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer

from coalition.lib.csv_export import csv_chunks
from coalition.lib.downloads import set_attachment


def csv_cell(value: Any) -> Any:
    """Lists (slugs of co-hosts…) flattened to `a;b`; the rest as is, for `csv_export.safe_cell` to judge."""
    if isinstance(value, list | tuple):
        return ";".join("" if item is None else str(item) for item in value)
    return value


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
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            view = (renderer_context or {}).get("view")
            name = getattr(view, "basename", None) or "data"
            set_attachment(response, f"{name}.csv")
        if not rows or not isinstance(rows[0], dict):
            return b""
        header = list(rows[0].keys())
        lines = ([csv_cell(row.get(key)) for key in header] for row in rows)
        return b"".join(csv_chunks(lines, header=header, encoding=self.charset))
