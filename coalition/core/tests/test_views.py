from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from coalition.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_and_json_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.fixture
def kept_message(db):
    return OutboxMessage.objects.create(
        from_email="Coalition <noreply@localhost>",
        to="ana@example.org",
        subject="Confirm your signature",
        body_text="Confirm here: http://127.0.0.1:8000/confirm/abc/",
        body_html='<p>Confirm <a href="http://127.0.0.1:8000/confirm/abc/">here</a></p><script>alert(1)</script>',
    )


def test_staff_read_the_outbox_with_subject_recipients_and_both_bodies(client, carol, kept_message):
    client.force_login(carol)

    listing = client.get(reverse("outbox"))
    assert listing.status_code == 200
    assert b"Confirm your signature" in listing.content
    assert b"ana@example.org" in listing.content

    detail = client.get(reverse("outbox-message", args=[kept_message.pk]))
    assert detail.status_code == 200
    assert b"http://127.0.0.1:8000/confirm/abc/" in detail.content
    # The HTML body is shown in a sandboxed frame, escaped, so it cannot run on the staff page.
    assert b'<iframe class="email-html" sandbox' in detail.content
    assert b"<script>alert(1)</script>" not in detail.content


def test_the_outbox_is_closed_to_visitors_and_supporters(client, sam, kept_message):
    anonymous = client.get(reverse("outbox"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))

    client.force_login(sam)
    assert client.get(reverse("outbox-message", args=[kept_message.pk])).status_code == 403


def test_a_campaigner_cannot_read_mail_for_another_account_holder_such_as_a_password_reset(client, carol, alice):
    # Carol could otherwise ask for Alice's reset link on the log-in page and read it here.
    reset = OutboxMessage.objects.create(
        to="alice@example.org", subject="Choose a new password", body_text="http://127.0.0.1:8000/accounts/reset/x/y/"
    )
    own = OutboxMessage.objects.create(to="carol@example.org", subject="Your own reset", body_text="…")
    supporter_mail = OutboxMessage.objects.create(to="ana@example.org", subject="Confirm your sign-up", body_text="…")
    client.force_login(carol)

    listing = client.get(reverse("outbox")).content.decode()

    assert "Choose a new password" not in listing
    assert "Your own reset" in listing and "Confirm your sign-up" in listing
    assert client.get(reverse("outbox-message", args=[reset.pk])).status_code == 404
    assert client.get(reverse("outbox-message", args=[own.pk])).status_code == 200
    assert client.get(reverse("outbox-message", args=[supporter_mail.pk])).status_code == 200


def test_the_administrator_reads_every_message_in_the_outbox(client, carol, alice):
    reset = OutboxMessage.objects.create(to="carol@example.org", subject="Choose a new password", body_text="…")
    client.force_login(alice)

    assert client.get(reverse("outbox-message", args=[reset.pk])).status_code == 200
