"""Helpers shared by the letters tests."""

from __future__ import annotations

from typing import Any

from coalition.letters import services
from coalition.letters.models import Letter


def write(action, *, email: str = "ana@example.org", body: str | None = None, **fields: Any) -> Letter:
    """Submit a letter through the service, as the form would."""
    return services.letter_submit(
        action=action,
        name=fields.pop("name", "Ana Writer"),
        email=email,
        town=fields.pop("town", "Bergen"),
        body=body if body is not None else action.letter_template,
        **fields,
    )


def letter_form(action, **overrides: Any) -> dict[str, Any]:
    data = {
        "body": action.letter_template,
        "name": "Ana Writer",
        "email": "ana@example.org",
        "town": "Bergen",
        "delivery": "email",
        "agree": "on",
        "send": "1",
    }
    data.update(overrides)
    return data
