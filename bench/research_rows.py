"""What the research benchmarks' raw inserts share (no Django set-up on import)."""

from __future__ import annotations


def approved_columns(now: object) -> dict[str, object]:
    """The columns every imported record gets the same value in: approved, by nobody, now."""
    return {
        "organisation_id": None,
        "status": "approved",
        "created_by_id": None,
        "assigned_to_id": None,
        "review_comment": "",
        "created_at": now,
        "updated_at": now,
        "submitted_at": now,
        "reviewed_at": now,
    }
