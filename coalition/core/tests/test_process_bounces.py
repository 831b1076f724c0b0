"""`manage.py process_bounces` and the worker's job: bounces read from a Maildir, an mbox, a file or a pipe."""

from __future__ import annotations

import io
import mailbox

import pytest
from django.core.management import CommandError, call_command

from coalition.core.bounce_mailbox import process_bounces
from coalition.core.models import Email
from coalition.core.services import email_queue
from coalition.core.tests.bounce_samples import dsn, not_a_bounce

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmation(run_tasks, outbox_backend):
    email = email_queue(to="typo@exampel.org", subject="Confirm your letter", body_text="Click the link")
    run_tasks()
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    return email


def _maildir(path, *messages):
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    return box


def test_a_maildir_is_read_and_its_bounces_recorded(tmp_path, confirmation):
    bounce = dsn(message_id=confirmation.message_id, recipient=confirmation.to)
    box = _maildir(tmp_path / "bounces", bounce, not_a_bounce())
    out = io.StringIO()

    call_command("process_bounces", str(tmp_path / "bounces"), stdout=out)

    confirmation.refresh_from_db()
    assert confirmation.status == Email.Status.FAILED
    summary = "2 message(s) read: 1 bounce(s), 1 recorded, 0 bounce(s) of nothing we sent, 1 not a bounce"
    assert summary in out.getvalue()
    assert f"e-mail {confirmation.pk} to typo@exampel.org" in out.getvalue()
    assert len(box) == 2, "without --remove the mailbox is left as it was"


def test_remove_empties_the_maildir_and_a_second_run_finds_nothing(tmp_path, confirmation):
    box = _maildir(tmp_path / "bounces", dsn(message_id=confirmation.message_id, recipient=confirmation.to))

    call_command("process_bounces", str(tmp_path / "bounces"), "--remove", stdout=io.StringIO())
    out = io.StringIO()
    call_command("process_bounces", str(tmp_path / "bounces"), stdout=out)

    assert len(box) == 0
    assert "0 message(s) read" in out.getvalue()


def test_an_mbox_and_a_single_file_are_read_too(tmp_path, confirmation):
    mbox = mailbox.mbox(tmp_path / "bounces.mbox")
    mbox.add(dsn(message_id=confirmation.message_id, recipient=confirmation.to))
    mbox.flush()
    single = tmp_path / "one.eml"
    single.write_bytes(dsn(message_id="<nothing-of-ours@coalition.example>", recipient="someone@else.example"))
    out = io.StringIO()

    call_command("process_bounces", str(tmp_path / "bounces.mbox"), str(single), stdout=out)

    assert "1 message(s) read: 1 bounce(s), 1 recorded" in out.getvalue()
    assert "1 message(s) read: 1 bounce(s), 0 recorded, 1 bounce(s) of nothing we sent" in out.getvalue()


def test_a_bounce_piped_by_the_mail_server_is_read_from_standard_input(confirmation, monkeypatch):
    raw = dsn(message_id=confirmation.message_id, recipient=confirmation.to)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))

    call_command("process_bounces", "-", stdout=io.StringIO())

    confirmation.refresh_from_db()
    assert confirmation.status == Email.Status.FAILED


def test_a_path_that_is_not_a_mailbox_gets_a_clear_message(tmp_path):
    (tmp_path / "folder").mkdir()

    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("process_bounces", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="not a Maildir"):
        call_command("process_bounces", str(tmp_path / "folder"))


def test_the_workers_job_empties_the_configured_maildir(tmp_path, settings, confirmation):
    box = _maildir(tmp_path / "bounces", dsn(message_id=confirmation.message_id, recipient=confirmation.to))

    assert process_bounces.call() == "no bounce mailbox configured"
    settings.BOUNCES_MAILDIR = str(tmp_path / "bounces")
    assert process_bounces.call().startswith("1 message(s) read: 1 bounce(s), 1 recorded")

    assert len(box) == 0
    confirmation.refresh_from_db()
    assert confirmation.status == Email.Status.FAILED
