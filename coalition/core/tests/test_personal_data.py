"""E-mails to someone who erased their data: emptied, never sent if still queued, gone from the outbox."""

from __future__ import annotations

from typing import cast

import pytest
from django.db import connection
from django.utils import timezone

from coalition.core import delivery, personal_data, services
from coalition.core.models import Email, OutboxMessage
from coalition.core.personal_data import DataSubject
from coalition.members.models import Supporter
from coalition.members.tests.factories import SupporterFactory


def _supporter(email: str) -> DataSubject:
    # Core knows a person only by address, a supporter's or a guest's.
    return DataSubject(email=email, supporter=cast(Supporter, SupporterFactory(email=email)))


def test_erasing_empties_the_emails_to_the_address_and_sends_none_still_queued(db, outbox_backend, run_tasks):
    sent = services.email_queue(to="ana@example.org", subject="Ana, confirm", body_text="Hello Ana")
    run_tasks()
    queued = services.email_queue(to="Ana@Example.org", subject="Ana, a reminder", body_text="Hello again Ana")
    services.email_queue(to="bo@example.org", subject="Bo, confirm", body_text="Hello Bo")
    OutboxMessage.objects.create(
        to="minister@gov.example", subject="Letter", body_text="…", headers={"Reply-To": "ana@example.org"}
    )
    personal_data.erase(_supporter("ana@example.org"), timezone.now())
    run_tasks()

    sent.refresh_from_db()
    assert (sent.to, sent.subject, sent.body_text, sent.status) == ("", "", "", Email.Status.SENT)
    queued.refresh_from_db()
    assert (queued.to, queued.status, queued.last_error) == ("", Email.Status.FAILED, services.ERASED_REASON)
    assert delivery.email_deliver(email_id=queued.pk) == "the recipient's address was erased"
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["bo@example.org"]
    assert Email.objects.get(to="bo@example.org").status == Email.Status.SENT


def test_the_export_lists_what_was_written_to_the_address_without_the_bodies(db):
    services.email_queue(to="ana@example.org", subject="Confirm your letter", body_text="a link that acts for Ana")
    services.email_queue(to="bo@example.org", subject="Not hers", body_text="")
    exported = personal_data.export(_supporter("ana@example.org"))

    assert [(e["subject"], e["status"]) for e in exported["emails"]] == [("Confirm your letter", "queued")]
    assert "a link" not in str(exported)


def test_the_emails_to_an_address_are_found_through_the_index_not_by_reading_the_table(db):
    services.email_queue(to="Ana@Example.org", subject="Confirm", body_text="")
    services.email_queue(to="bo@example.org", subject="Confirm", body_text="")
    mine = services.emails_to("ana@EXAMPLE.org")
    assert list(mine.values_list("to", flat=True)) == ["Ana@Example.org"]

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a two-row table is read whole otherwise
    plan = mine.values("pk").explain()

    assert "core_email_to_lower_idx" in plan, plan


@pytest.mark.parametrize("address", ["ana@example.org", "ANA@example.org"])
def test_erasure_blanks_the_attachments_too(db, address):
    email = services.email_queue(
        to="ana@example.org",
        subject="Changed",
        body_text="",
        attachments=[services.Attachment(filename="event-1.ics", content="BEGIN:VCALENDAR", mimetype="text/calendar")],
    )

    services.emails_erase_recipient(address=address)

    email.refresh_from_db()
    assert (email.to, email.attachments) == ("", [])
