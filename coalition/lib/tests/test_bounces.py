"""Reading bounce messages: the failing address, the original Message-ID and the server's reason."""

from __future__ import annotations

from coalition.core.tests.bounce_samples import dsn, not_a_bounce
from coalition.lib.bounces import bounce_read


def test_a_delivery_status_notification_names_the_address_the_message_and_the_reason():
    bounce = bounce_read(dsn(message_id="<letter-1@coalition.example>", recipient="Minister@MFA.example"))

    assert bounce.is_bounce
    assert bounce.permanent == {"minister@mfa.example"}
    assert bounce.message_ids == {"<letter-1@coalition.example>"}
    assert "Recipient address rejected: User unknown" in bounce.reason


def test_a_delay_notice_is_not_a_permanent_failure():
    bounce = bounce_read(
        dsn(message_id="<l-1@coalition.example>", recipient="minister@mfa.example", status="4.4.1", action="delayed")
    )

    assert bounce.permanent == set()


def test_a_reply_is_not_a_bounce():
    bounce = bounce_read(not_a_bounce())

    assert not bounce.is_bounce
    assert bounce.message_ids == set()


def test_a_server_that_quotes_the_original_in_its_text_is_understood():
    raw = (
        b"From: MAILER-DAEMON@qmail.example\r\nTo: noreply@coalition.example\r\n"
        b"Subject: failure notice\r\nMessage-ID: <q1@qmail.example>\r\n\r\n"
        b"Hi. This is the qmail-send program at qmail.example.\r\n"
        b"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        b"This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        b"<gone@ministry.example>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        b"--- Below this line is a copy of the message.\r\n\r\n"
        b"Message-ID: <letter-9@coalition.example>\r\nSubject: Please join\r\n"
    )

    bounce = bounce_read(raw)

    assert bounce.permanent == {"gone@ministry.example"}
    assert bounce.message_ids == {"<letter-9@coalition.example>"}
