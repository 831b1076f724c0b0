"""Fixtures of the events tests, on top of the shared cast (alice, carol, sam, edna, bruno)."""

from __future__ import annotations

import pytest


@pytest.fixture
def emails(db):
    """The e-mails queued so far (the durable record a worker delivers), oldest first."""
    from coalition.core.models import Email

    def queued(to: str | None = None):
        rows = Email.objects.order_by("created_at", "id")
        return list(rows.filter(to=to) if to else rows)

    return queued
