"""Whom a request for personal data is about (`DataSubject`), what an app's `personal_data` module offers
(`PersonalData`, found by `personal_data_modules`), and core's own part: the e-mails written to the address.

Members' "your data" page, export and erasure call every app's module with a `DataSubject` (the convention is
described in coalition/core/discovery.py). Core sits below the apps and names none of them: the subject's
record is whatever members gives (its `Supporter`), and each app's module is known only by this contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, cast

from coalition.core import services
from coalition.core.discovery import app_modules

Record = TypeVar("Record")


@dataclass(frozen=True)
class DataSubject(Generic[Record]):
    """A person whose data we hold, known by the address they gave us: a supporter (with their row), or a
    guest who only replied to an event (`supporter` is None). Apps find what is theirs by either."""

    email: str
    supporter: Record | None = None


class PersonalData(Protocol):
    """An app's `personal_data` module: its JSON-ready sections of the person's download, and their erasure
    (inside the erasure's transaction). Optional parts (`TEMPLATE`, `subject_reference`, `subject_address`) are
    described in coalition/core/discovery.py and looked up with `getattr`."""

    def export(self, subject: DataSubject[Any]) -> dict[str, Any]: ...

    def erase(self, subject: DataSubject[Any], now: datetime) -> None: ...


def personal_data_modules() -> list[tuple[str, PersonalData]]:
    """(app label, module) of every app with a `personal_data` module, in INSTALLED_APPS order."""
    return [(label, cast(PersonalData, module)) for label, module in app_modules("personal_data")]


def export(subject: DataSubject[Any]) -> dict[str, Any]:
    """Each e-mail we wrote to the address: what it was and when. Not the bodies: they are our templates
    around links that act for the person, and the subject says which e-mail it was."""
    if not subject.email:
        return {"emails": []}
    emails = services.emails_to(subject.email).order_by("created_at", "id")
    return {
        "emails": [
            {
                "subject": email.subject,
                "status": email.status,
                "written_at": email.created_at.isoformat(),
                "sent_at": email.sent_at.isoformat() if email.sent_at else None,
            }
            for email in emails.only("subject", "status", "created_at", "sent_at")
        ]
    }


def erase(subject: DataSubject[Any], now: datetime) -> None:
    if subject.email:
        services.emails_erase_recipient(address=subject.email)
