"""Secret links (reset, set-password, confirm, "your data", RSVP) are read by their addressee alone.

The takeover tests walk the path a campaigner once took to act as someone else, step by step: each step
that used to work still does, up to the one that now refuses (decision 0012).
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coalition.core import delivery, services
from coalition.core.models import Email, OutboxMessage
from coalition.core.secret_links import REDACTED, is_secret_path, secret_links_redact
from coalition.letters.models import Letter
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import letter_form
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/reset/MQ/c4k9xz-0123456789abcdef/",
        "/members/sign-up/confirm/eyJzIjoxfQ:1vabc:xyz/",
        "/members/my-data/eyJzIjoxfQ:1vabc:xyz/",
        "/act/confirm/eyJsIjoxfQ:1vabc:xyz/",
        "/act/replied/eyJsIjoxfQ:1vabc:xyz/",
        "/act/letter/eyJsIjoxfQ:1vabc:xyz/letter.pdf",
        "/events/reply/abcdef0123456789/",
        "/fr/members/my-data/eyJzIjoxfQ:1vabc:xyz/",
    ],
)
def test_every_link_that_acts_for_a_person_is_known_as_secret(path):
    assert is_secret_path(path)


@pytest.mark.parametrize("path", ["/", "/act/write-to-norway/", "/events/12/", "/members/my-data/", "/accounts/login/"])
def test_public_pages_are_not_secret(path):
    assert not is_secret_path(path)


def test_redaction_removes_secret_links_in_text_and_html_and_keeps_the_rest():
    text = (
        f"Confirm: {SITE}/act/confirm/abc:def/. Or see the action {SITE}/act/write-to-norway/\n"
        f'<a href="{SITE}/members/my-data/tok:en/">your data</a> https://other.example.org/act/confirm/x/'
    )

    redacted = secret_links_redact(text)

    assert "abc:def" not in redacted and "tok:en" not in redacted
    assert f"Confirm: {REDACTED}." in redacted
    assert f"{SITE}/act/write-to-norway/" in redacted
    assert f'<a href="{REDACTED}">your data</a>' in redacted
    # The host may have changed since the message was written: the path decides.
    assert "other.example.org/act/confirm/x/" not in redacted


def _queue(body: str, *, subject: str = "Confirm your letter", to: str = "ana@example.org") -> Email:
    return services.email_queue(to=to, subject=subject, body_text=body, body_html=f"<p>{body}</p>")


def test_a_delivered_email_keeps_its_text_but_not_its_secret_link(run_tasks, outbox_backend):
    email = _queue(f"Please confirm: {SITE}/act/confirm/abc:def/ Thank you.")
    run_tasks()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.body_text == f"Please confirm: {REDACTED} Thank you."
    assert "abc:def" not in email.body_html
    # The addressee's own copy (the outbox stands in for their mailbox on a laptop) has the link.
    assert f"{SITE}/act/confirm/abc:def/" in OutboxMessage.objects.get(to="ana@example.org").body_text


def test_an_email_that_finally_fails_loses_its_secret_link_too(settings):
    settings.EMAIL_BACKEND = "coalition.core.tests.test_secret_links.RefusingBackend"
    email = _queue(f"Please confirm: {SITE}/act/confirm/abc:def/")
    Email.objects.filter(pk=email.pk).update(attempts=len(delivery.EMAIL_RETRY_DELAYS))

    assert delivery.email_deliver(email_id=email.pk) == "failed"

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert "abc:def" not in email.body_text + email.body_html


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_bodies_are_emptied_after_the_retention_period_and_counts_and_outcomes_stay(settings, outbox_backend):
    settings.EMAIL_BODY_RETENTION_DAYS = 30
    now = timezone.now()
    old = _queue("old news")
    recent = _queue("fresh news")
    still_queued = _queue("waiting for a server")
    Email.objects.filter(pk__in=[old.pk, recent.pk]).update(status=Email.Status.SENT, sent_at=now)
    Email.objects.filter(pk__in=[old.pk, still_queued.pk]).update(created_at=now - timedelta(days=31))
    old_copy = OutboxMessage.objects.create(to="ana@example.org", subject="old", body_text="old news")
    OutboxMessage.objects.filter(pk=old_copy.pk).update(created_at=now - timedelta(days=31))
    OutboxMessage.objects.create(to="ana@example.org", subject="fresh", body_text="fresh news")

    assert delivery.emails_purge_bodies(now=now) == 1

    old.refresh_from_db()
    assert (old.body_text, old.body_html, old.status, old.to, old.subject) == (
        "",
        "",
        Email.Status.SENT,
        "ana@example.org",
        "Confirm your letter",
    )
    assert Email.objects.get(pk=recent.pk).body_text == "fresh news"
    assert Email.objects.get(pk=still_queued.pk).body_text == "waiting for a server", "it has not been sent yet"
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["fresh"]
    assert Email.objects.count() == 3


def test_the_purge_runs_daily_from_the_workers_schedule():
    from coalition.core.scheduler import registered_jobs

    [job] = [job for job in registered_jobs() if job.name == "core.purge_email_bodies"]
    assert job.every == timedelta(days=1)


def test_an_email_subject_is_plain_text(db):
    from coalition.members.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Smith & Sons <Relief>")

    email = services.email_send(
        to="contact@example.org",
        template="members-application-approved",
        context={"organisation_name": organisation.name, "contact_name": "Jo", "organisation_path": "/"},
    )

    assert "Smith & Sons <Relief>" in email.subject
    assert "&amp;" not in email.subject


def test_staff_see_that_an_email_was_sent_but_not_its_body(client, carol, alice):
    email = _queue(f"Reset here: {SITE}/accounts/reset/MQ/abc-123/", subject="Reset your password")
    for user in (carol, alice):
        client.force_login(user)
        page = client.get(reverse("admin:core_email_change", args=[email.pk]))

        assert page.status_code == 200
        assert "Reset your password" in page.text and "ana@example.org" in page.text
        assert "/accounts/reset/" not in page.text
        assert client.post(reverse("admin:core_email_delete", args=[email.pk]), {"post": "yes"}).status_code == 403
    assert Email.objects.filter(pk=email.pk).exists()


# The takeover paths, step by step.


def _path_of(text: str, prefix: str) -> str:
    found = re.search(rf"https?://[^\s\"<]+{re.escape(prefix)}[^\s\"<]+", text)
    assert found, f"no link to {prefix} in the message"
    return urlsplit(found.group(0)).path


def _campaigner_hunts_for_the_link(client, carol, address: str, secret_prefix: str) -> None:
    """Carol looks everywhere staff may look for mail to `address`, and finds that it went, not its link."""
    client.force_login(carol)
    listing = client.get(reverse("admin:core_email_changelist"), {"q": address})
    assert listing.status_code == 200, "step: staff see that mail went to the address"
    [email] = listing.context["cl"].result_list
    assert email.status == Email.Status.SENT
    change = client.get(reverse("admin:core_email_change", args=[email.pk]))
    assert change.status_code == 200
    assert secret_prefix not in change.text, "step refused: the admin shows no body"
    assert secret_prefix not in email.body_text + email.body_html, "step refused: the stored copy has no link"
    outbox = client.get(reverse("outbox"))
    assert outbox.status_code in (403, 404), "step refused: the outbox is not for campaigners"
    assert client.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403


@pytest.mark.parametrize("mail_mode", ["smtp", "outbox"])
def test_a_campaigner_cannot_take_over_the_superusers_account(
    client, carol, alice, run_tasks, django_capture_on_commit_callbacks, settings, mail_mode
):
    if mail_mode == "outbox":
        settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    # Step 1: ask for a reset of the superuser's password: the page looks the same for anyone.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("password_reset"), {"email": "alice@example.org"}).status_code == 302
    run_tasks()
    # Step 2: the link exists, in Alice's mailbox only.
    delivered = mail.outbox[0].body if mail_mode == "smtp" else OutboxMessage.objects.get().body_text
    assert "/accounts/reset/" in delivered

    # Steps 3-5: the admin and the outbox, as a campaigner.
    _campaigner_hunts_for_the_link(client, carol, "alice@example.org", "/accounts/reset/")

    # The link itself still works for its addressee.
    client.logout()
    form = client.get(_path_of(delivered, "/accounts/reset/"), follow=True)
    assert form.context["validlink"]


def test_a_campaigner_cannot_read_a_supporters_data_link(client, carol, run_tasks, django_capture_on_commit_callbacks):
    from coalition.members.tests.factories import SupporterFactory

    SupporterFactory(email="lina@example.org", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/my-data/", {"email": "lina@example.org"})
    run_tasks()
    assert "/members/my-data/" in mail.outbox[0].body

    _campaigner_hunts_for_the_link(client, carol, "lina@example.org", "/members/my-data/")


def test_a_campaigner_cannot_confirm_a_letter_written_in_someone_elses_name(
    client, carol, run_tasks, django_capture_on_commit_callbacks
):
    minister = official(state=StateFactory(iso3="NOR", name="Norway"), name="Espen", email="minister@mfa.no.example")
    action = ActionFactory(slug="write-to-norway", title="Write to Norway", targets=[minister])
    # Step 1: write a letter with somebody else's address: allowed, it waits for that person's confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/act/{action.slug}/", letter_form(action, email="victim@example.org", name="Vic Tim"))
    assert Letter.objects.get().status == Letter.Status.UNCONFIRMED
    run_tasks()
    assert "/act/confirm/" in mail.outbox[0].body

    # Steps 2-4: the confirmation link is nowhere a campaigner can read it.
    _campaigner_hunts_for_the_link(client, carol, "victim@example.org", "/act/confirm/")
    assert Letter.objects.get().status == Letter.Status.UNCONFIRMED


def test_a_failed_request_for_a_secret_link_is_logged_without_its_token(client, caplog):
    from coalition.core.secret_links import RedactSecretLinksFilter

    with caplog.at_level("WARNING", logger="django.request"):
        client.post("/act/confirm/stolen-or-expired-token/")
    [record] = [record for record in caplog.records if record.name == "django.request"]

    RedactSecretLinksFilter().filter(record)

    assert "stolen-or-expired-token" not in record.getMessage()
    assert REDACTED in record.getMessage()


def test_the_log_handler_of_the_settings_redacts_secret_links(settings):
    assert "secret_links" in settings.LOGGING["handlers"]["console"]["filters"]
