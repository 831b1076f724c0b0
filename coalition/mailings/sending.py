"""Sending one batch's messages with each recorded as sent before the next can be accepted, without waiting
for the record's commit while nothing depends on it.

A crash may repeat only the message in flight (docs/decisions/0801-mailings.md) as long as message n is
recorded before the server accepts message n + 1. The server accepts a message at the "250" after its data,
so the commit of message n only has to be confirmed before message n + 1's DATA; until then the worker
opens message n + 1's envelope (MAIL FROM, RCPT TO) while the database commits. On PostgreSQL the UPDATE is
sent without waiting for its answer, which is awaited before DATA; elsewhere (SQLite: a local commit without
a round trip) the UPDATE runs at once, and with a mail backend other than SMTP the message is sent as usual.

On PostgreSQL the marks commit without waiting for the disk (`synchronous_commit = off` for the batch, unless
MAILINGS_SYNCHRONOUS_MARKS): the bound is about a worker that dies, and a commit the server has made is kept
then; waiting for one fsync per message would hold a mailing to the disk's commits per second.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, connection
from django.utils import timezone

from coalition.mailings.models import Delivery


class SentMarks:
    """Marks deliveries of one claim as sent: `mark(pk)` right after the server's 250, `wait()` before the
    next message may be accepted (and before any other query on the connection)."""

    def __init__(self, claim: str) -> None:
        self.claim = claim
        self.pending = False
        self.relaxed = False
        self.raw: Any = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            # Django's connection is in autocommit here (a batch is not one transaction): each UPDATE commits.
            if connection.get_autocommit():
                self.raw = connection.connection
                if not settings.MAILINGS_SYNCHRONOUS_MARKS:
                    # What SQLite's synchronous=NORMAL is: a commit visible at once and kept if the worker dies
                    # (the bound above), without waiting for the disk; a crash of the database server itself
                    # may forget the last marks (wal_writer_delay, 0.2 s by default, three times at most), and
                    # those messages go again with their Message-ID. Set back in `close()`.
                    with connection.cursor() as cursor:
                        cursor.execute("SET synchronous_commit TO off")
                    self.relaxed = True
                table = connection.ops.quote_name(Delivery._meta.db_table)
                self.sql = (  # the table's name from the model; values are parameters
                    f"UPDATE {table} SET status = $1, sent_at = now(), lease_until = NULL, claim = '', "  # noqa: S608
                    "last_error = '' WHERE id = $2 AND claim = $3 AND status = $4"
                ).encode()

    def mark(self, pk: int) -> None:
        self.wait()
        if self.raw is None:
            Delivery.objects.filter(pk=pk, claim=self.claim, status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), lease_until=None, claim="", last_error=""
            )
            return
        from psycopg import generators

        params = [Delivery.Status.SENT.encode(), str(pk).encode(), self.claim.encode(), b"queued"]
        self.raw.pgconn.send_query_params(self.sql, params)
        self.pending = True
        self.raw.wait(generators.send(self.raw.pgconn))

    def wait(self) -> None:
        """The last mark is committed (or this raises, and the batch stops as for any database error)."""
        if not self.pending:
            return
        from psycopg import generators, pq

        self.pending = False
        results = self.raw.wait(generators.fetch_many(self.raw.pgconn))
        for result in results:
            if result.status != pq.ExecStatus.COMMAND_OK:
                message = (result.error_message or b"").decode("utf-8", "replace")
                raise DatabaseError(f"Marking a delivery as sent failed: {message}")

    def close(self) -> None:
        """Wait for the last mark, and give the connection back as it was (it outlives the batch)."""
        try:
            self.wait()
        finally:
            if self.relaxed:
                self.relaxed = False
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")


def send(message: EmailMessage, marks: SentMarks) -> None:
    """Send one message over the batch's open connection; `marks.wait()` runs before its DATA."""
    backend = message.connection
    smtp = getattr(backend, "connection", None)
    if not isinstance(backend, SMTPBackend) or not isinstance(smtp, smtplib.SMTP) or not message.recipients():
        marks.wait()
        message.send()
        return
    # What Django's SMTP backend and smtplib's sendmail() do, with DATA apart from the envelope.
    encoding = message.encoding or settings.DEFAULT_CHARSET
    from_email = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]  # Django's MIME classes take it
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(from_email, options)
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, from_email)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        _reset(smtp, code)
        raise smtplib.SMTPRecipientsRefused(refused)
    marks.wait()
    code, reply = smtp.data(data)
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP, code: int) -> None:
    if code == 421:
        smtp.close()
    else:
        try:
            smtp.rset()
        except smtplib.SMTPServerDisconnected:
            pass
