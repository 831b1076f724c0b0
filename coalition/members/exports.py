"""Staff's CSV downloads of the registry: the organisations and the supporters, as the lists are filtered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from coalition.lib.csv_export import csv_response
from coalition.members.models import Organisation, Supporter


@dataclass(frozen=True)
class Export:
    """One list's CSV: the file's name (dated on download), its columns, and the row of each record."""

    name: str
    header: list[str]
    row: Callable[[Any], list[Any]]

    def response(self, records: QuerySet[Any]) -> StreamingHttpResponse:
        """Stream rows as CSV, so 100,000 supporters never sit in memory at once."""
        return csv_response(
            (self.row(record) for record in records.iterator(chunk_size=2000)),
            header=self.header,
            filename=f"{self.name}-{timezone.localdate().isoformat()}.csv",
            bom=True,
        )


def _organisation_row(o: Organisation) -> list[Any]:
    return [
        o.slug,
        o.name,
        o.type,
        str(o.country),
        o.city,
        o.website,
        o.status,
        o.joined_on.isoformat() if o.joined_on else "",
        o.founding_member,
        o.on_committee,  # type: ignore[attr-defined]  # annotated by the selector
        o.contact_email,
    ]


def _supporter_row(s: Supporter) -> list[Any]:
    return [
        s.name,
        s.email or "",
        str(s.country),
        ";".join(s.languages),
        ";".join(s.interests),
        s.status,
        s.referred_by.slug if s.referred_by else "",
        s.created_at.isoformat(),
        s.confirmed_at.isoformat() if s.confirmed_at else "",
    ]


ORGANISATIONS = Export(
    "organisations",
    "slug name type country city website status joined_on founding_member steering_committee contact_email".split(),
    _organisation_row,
)
SUPPORTERS = Export(
    "supporters",
    "name email country languages interests status referred_by signed_up_at confirmed_at".split(),
    _supporter_row,
)
