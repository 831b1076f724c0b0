"""E-mails to someone who erased their data: emptied, never sent if still queued, gone from the outbox."""

from __future__ import annotations

from django.utils import timezone

from coalition.core import personal_data, services
from coalition.core.models import Email, OutboxMessage
from coalition.members.tests.factories import SupporterFactory


def _supporter(email: str):
    # Core knows a person only by address; the supporter row is how members' erasure hands it over.
    return SupporterFactory(email=email)


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
    assert services.email_deliver(email_id=queued.pk) == "the recipient's address was erased"
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["bo@example.org"]
    assert Email.objects.get(to="bo@example.org").status == Email.Status.SENT


def test_the_export_lists_what_was_written_to_the_address_without_the_bodies(db):
    services.email_queue(to="ana@example.org", subject="Confirm your letter", body_text="a link that acts for Ana")
    services.email_queue(to="bo@example.org", subject="Not hers", body_text="")
    exported = personal_data.export(_supporter("ana@example.org"))

    assert [(e["subject"], e["status"]) for e in exported["emails"]] == [("Confirm your letter", "queued")]
    assert "a link" not in str(exported)
