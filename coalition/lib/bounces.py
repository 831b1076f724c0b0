"""Reading bounce messages: which of our messages came back, to which addresses, and why.

A bounce that arrives after the mail server accepted a message (the usual case: the receiving server
refuses later) comes back as an e-mail to our envelope sender. flufl.bounce (GNU Mailman's detectors,
RFC 3464 delivery status notifications and the odd formats of many servers) finds the addresses that
failed; the original message's Message-ID, which our letters and e-mails fix when they are written,
says which message it was.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import Message

from flufl.bounce import all_failures

_MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
_DIAGNOSTIC = ("diagnostic-code", "status")


@dataclass
class Bounce:
    """What one bounce message says. `permanent` holds the addresses that will never accept mail."""

    permanent: set[str] = field(default_factory=set)
    temporary: set[str] = field(default_factory=set)
    message_ids: set[str] = field(default_factory=set)
    reason: str = ""

    @property
    def is_bounce(self) -> bool:
        return bool(self.permanent or self.temporary)


@dataclass(frozen=True)
class BounceMatch:
    """One of our messages (or an official's address) a bounce is about; `new` is False when it was
    recorded already, by an earlier reading of the same mailbox."""

    what: str
    new: bool = True


def bounce_read(raw: bytes) -> Bounce:
    """Parse one message; a message that is not a bounce gives an empty `Bounce` (`is_bounce` False)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    temporary, permanent = all_failures(message)
    bounce = Bounce(
        permanent={_address(a) for a in permanent if _address(a)},
        temporary={_address(a) for a in temporary if _address(a)},
    )
    if not bounce.is_bounce:
        return bounce
    bounce.message_ids = _original_message_ids(message)
    bounce.reason = _reason(message) or "The receiving server reported the address as failing."
    return bounce


def _address(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return text.strip().strip("<>").lower()


def _original_message_ids(message: Message) -> set[str]:
    """Message-IDs of the returned original: in an attached message or its headers, else quoted in the text."""
    found: set[str] = set()
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            for inner in part.get_payload() or []:
                if isinstance(inner, Message) and inner.get("Message-ID"):
                    found.update(_MESSAGE_ID.findall(str(inner["Message-ID"])))
        elif content_type == "text/rfc822-headers":
            headers = email.message_from_string(_text(part), policy=email.policy.compat32)
            if headers.get("Message-ID"):
                found.update(_MESSAGE_ID.findall(str(headers["Message-ID"])))
    if not found:
        # Servers that quote the original in the body instead of attaching it.
        for part in message.walk():
            if part.get_content_maintype() == "text":
                for line in _text(part).splitlines():
                    if line.lower().startswith("message-id:"):
                        found.update(_MESSAGE_ID.findall(line))
    # Our own bounce's Message-ID is not the original's.
    found.discard(str(message.get("Message-ID", "")).strip())
    return found


def _reason(message: Message) -> str:
    """The server's own words, from the delivery status (Diagnostic-Code, else Status), in one line."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload() or []:
            if not isinstance(block, Message):
                continue
            for name in _DIAGNOSTIC:
                value = block.get(name)
                if value:
                    return " ".join(str(value).split())[:500]
    return ""


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return str(part.get_payload() or "")
