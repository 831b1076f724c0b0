"""The outbox: an e-mail backend that keeps messages in the database when no SMTP server is configured."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

OUTBOX_BACKEND = "coalition.core.mail.OutboxBackend"


def outbox_in_use() -> bool:
    """Is mail kept in the outbox (no SMTP server configured)? Only then may it be read, by a superuser."""
    return bool(settings.EMAIL_BACKEND == OUTBOX_BACKEND)


def may_read_outbox(user: object) -> bool:
    """The outbox stands in for every recipient's mailbox, their secret links included: only whoever runs the
    installation (a superuser) reads it, and only while it is in use (decision 0012)."""
    return outbox_in_use() and bool(getattr(user, "is_superuser", False))


class OutboxBackend(BaseEmailBackend):
    """Stores each message as an OutboxMessage, so confirm links work on a laptop with no mail server."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from coalition.core.models import OutboxMessage

        kept = 0
        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
            headers = {str(key): str(value) for key, value in message.extra_headers.items()}
            OutboxMessage.objects.create(
                message_id=headers.get("Message-ID", ""),
                from_email=str(message.from_email),
                to=", ".join(message.to),
                cc=", ".join(message.cc),
                subject=str(message.subject),
                body_text=str(message.body),
                body_html=html,
                headers=headers,
            )
            kept += 1
        return kept
