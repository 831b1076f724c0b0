"""The name the API's viewsets used before `coalition.api.viewsets.OpenDataMixin`: the same mixin, not a copy."""

from __future__ import annotations

from coalition.api.viewsets import OpenDataMixin as CSVExportMixin

__all__ = ["CSVExportMixin"]
