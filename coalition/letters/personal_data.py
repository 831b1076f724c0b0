"""What the letters app holds on a person: the letters they wrote and where each went.

Part of the `personal_data` convention (coalition/core/discovery.py): members' export and erasure call it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coalition.core.personal_data import DataSubject
from coalition.letters import housekeeping, selectors
from coalition.letters.models import Letter, Message

TEMPLATE = "letters/includes/personal_data.html"


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _message(message: Message) -> dict[str, Any]:
    return {
        "title": message.recipient_title,
        "name": message.recipient_name,
        "status": message.status,
        "status_label": str(message.get_status_display()),
        "sent_at": _when(message.sent_at),
        "replied": message.supporter_answer or None,
        "replied_label": str(message.get_supporter_answer_display()) if message.supporter_answer else None,
    }


def _letter(letter: Letter) -> dict[str, Any]:
    scrubbed = letter.scrubbed_at is not None
    return {
        "action": letter.action.title,
        "written_at": _when(letter.created_at),
        "confirmed_at": _when(letter.confirmed_at),
        "status": letter.status,
        "status_label": str(letter.get_status_display()),
        "delivery": letter.delivery,
        "delivery_label": str(letter.get_delivery_display()),
        "name": letter.name,
        "town": letter.town,
        "state": letter.state.display_name if letter.state else "",
        "constituency": letter.constituency,
        # After the retention period the text is gone; only the dates and officials remain.
        "text": None if scrubbed else letter.body,
        "scrubbed_at": _when(letter.scrubbed_at),
        "officials": [_message(message) for message in letter.messages.all()],
    }


def export(subject: DataSubject) -> dict[str, Any]:
    # Letters are written by supporters only (a letter records its writer as one): a guest has none.
    if subject.supporter is None:
        return {"letters": []}
    return {"letters": [_letter(letter) for letter in selectors.letters_of_supporter(subject.supporter)]}


def erase(subject: DataSubject, now: datetime) -> None:
    if subject.supporter is not None:
        housekeeping.letters_erase_writer(supporter=subject.supporter, now=now)
