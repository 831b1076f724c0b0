"""`?format=csv` with every row: add `CSVExportMixin` to a list viewset (JSON stays paginated)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from coalition.lib.csv_renderer import CSVRenderer


class CSVExportMixin:
    """Adds `coalition.lib.csv_renderer.CSVRenderer`; a CSV download holds every row, so it is not paginated."""

    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def paginate_queryset(self, queryset: Any) -> Any:
        renderer = getattr(self.request, "accepted_renderer", None)  # type: ignore[attr-defined]
        if renderer is not None and renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)  # type: ignore[misc]
