"""What a row of the endpoints says: who posts, the URL, and each field with a valid value and its kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.hostile_input.kinds import Kind, choice, text

# Where the test has no real link to start from (the link is only in an e-mail's text, or its form is another
# team's to change): every token tried is then a hostile one, answered 400 or 404.
FAKE_LINK = "not-a-link"


class World:
    """The fixtures an endpoint's row asks for, built on first use (`w.edna`, `w.published_event`)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return self._request.getfixturevalue(name)


Fields = dict[str, tuple[Any, Kind]]


@dataclass(frozen=True)
class Endpoint:
    """One form or write endpoint: the URL, who sends it, and each field as (a valid value, its kind)."""

    name: str
    url: Callable[[World], str]
    user: Callable[[World], Any] | None
    fields: Callable[[World], Fields]
    method: str = "post"
    # Parts of the URL to spoil too ({name} in the URL, with a valid value and its kind).
    path: Callable[[World], Fields] = lambda w: {}
    # The rows an accepted submission changes; a refused one must leave them as they were.
    edits: Callable[[World], list[Any]] = lambda w: []
    # Fixtures the endpoint needs without naming them in its fields (the state a new record is in).
    needs: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


def decision(
    name: str, thing: str, url: str, decision: tuple[str, list[str]], note: tuple[str, str], by: str = "carol"
) -> Endpoint:
    """Staff (`by`, a fixture) decide on `thing` (the fixture of what waits for them: an application, an event, a
    record) at `url`, where {pk} is its id: `decision` is a valid one and the choices, `note` the field of a word
    to its author and a valid one. An accepted decision changes the thing."""
    field, said = note
    return Endpoint(
        name,
        lambda w: url.format(pk=getattr(w, thing).pk),
        lambda w: getattr(w, by),
        lambda w: {"decision": (decision[0], choice(decision[1])), field: (said, text(4_000))},
        edits=lambda w: [getattr(w, thing)],
    )
