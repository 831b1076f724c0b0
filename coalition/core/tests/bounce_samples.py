"""Bounce messages as mail servers send them, for the bounce tests."""

from __future__ import annotations

from email.message import EmailMessage


def dsn(
    *,
    message_id: str,
    recipient: str,
    status: str = "5.1.1",
    diagnostic: str = "smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown",
    action: str = "failed",
) -> bytes:
    """An RFC 3464 delivery status notification, as Postfix sends it, with the original's headers."""
    text = f"""From: MAILER-DAEMON@mail.example (Mail Delivery System)
To: noreply@coalition.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261127.bounce.1@mail.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.

I'm sorry to have to inform you that your message could not be delivered to one or more recipients.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example
Arrival-Date: Fri, 27 Nov 2026 10:00:00 +0000

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: {diagnostic.format(recipient=recipient)}

--BOUNDARY
Content-Type: text/rfc822-headers

From: Ana Writer via Coalition <noreply@coalition.example>
To: {recipient}
Subject: Please join the Convention
Message-ID: {message_id}

--BOUNDARY--
"""
    return text.replace("\n", "\r\n").encode()


def not_a_bounce() -> bytes:
    message = EmailMessage()
    message["From"] = "someone@example.org"
    message["To"] = "noreply@coalition.example"
    message["Subject"] = "Re: Please join the Convention"
    message.set_content("Thank you for your letter. The minister has read it.")
    return message.as_bytes()
