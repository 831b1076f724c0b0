"""The decorator moved to `coalition.lib.permissions`; this name stays only for coalition/states/views.py, which
another change of issue 18 edits: delete this module once that import reads `coalition.lib.permissions`."""

from __future__ import annotations

from coalition.lib.permissions import permission_required

__all__ = ["permission_required"]
