"""Shared shape of every import: all rows are checked, every bad row is reported, nothing half-loads."""

from __future__ import annotations


class ImportRejected(Exception):
    """The input has bad rows; `errors` names each one (row number, field, problem)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} bad row(s): " + "; ".join(errors[:20]) + ("…" if len(errors) > 20 else ""))
