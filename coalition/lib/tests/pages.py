"""Helpers for tests of public pages, shared by every app's tests."""

from __future__ import annotations

from typing import Any


def assert_filters(client: Any, path: str, cases: dict[str, tuple[str, str]]) -> None:
    """The page at `path` with each query string of `cases` lists the first name given and not the second."""
    for query, (shown, hidden) in cases.items():
        page = client.get(f"{path}?{query}").text
        assert shown in page, f"{query}: {shown} missing"
        assert hidden not in page, f"{query}: {hidden} shown"
