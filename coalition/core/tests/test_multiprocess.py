"""Growing past one machine: two web processes and two task workers, started from the Procfile's lines, on one
PostgreSQL database and one Redis. Letters, sign-ups and replies to an event go through both web processes,
a worker is killed (SIGKILL) in the middle of a task, and afterwards every task has run to its end once, every
e-mail went out once and every kept count agrees with the rows it counts; with the database task backend and
with TASK_BACKEND=redis (RQ). A rate limit reached through one web process holds on the other.

Needs the machine's PostgreSQL (DATABASE_URL=postgres://…, as `.ci/run`'s second pass) and a Redis
(a database of the local one claimed for this run, see redis_db.py, emptied before and after); skipped otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import cast

import pytest
from django.db import connection
from django.db.models import Sum
from django_tasks.base import TaskResultStatus

from coalition.core.models import Email, OutboxMessage
from coalition.core.tests import redis_db
from coalition.core.tests.processes import ROOT, Processes, body_or_nothing, commands, http, wait_until
from coalition.events.models import RSVP, Event
from coalition.events.tests.factories import EventFactory
from coalition.letters.models import Action, ActionCount, DailySlot, Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.members.models import Supporter
from coalition.states.tests.factories import StateFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.xdist_group("redis"),  # one Redis database, emptied by each test (test_rq_worker's too)
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL shared by several processes: run with DATABASE_URL=postgres://… (as .ci/run does)",
    ),
    pytest.mark.skipif(bool(redis_db.missing()), reason=redis_db.missing() or "Redis reachable"),
]

LETTERS, SIGN_UPS, REPLIES, PLACES = 6, 4, 6, 4


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory):
    """One VAR_DIR for the test process (its slow tests run first, not in module order), with the static files
    the release step collects (once: it takes seconds).
    The release's other steps, migrations and reference data, are pytest-django's database set-up here."""
    var_dir = tmp_path_factory.mktemp("var")
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "false", "DATABASE_URL": ""}  # files only
    collect = [step for step in commands("release", env) if "collectstatic" in step]
    assert collect, "the Procfile's release step collects the static files the web processes serve"
    for step in collect:
        subprocess.run(step, cwd=ROOT, env=env, check=True, capture_output=True)
    return var_dir


@pytest.fixture
def redis_database():
    client = redis_db.emptied()
    yield client
    redis_db.emptied()


def database_url() -> str:
    """The test database, which the started processes share with this test."""
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(var_dir: Path, task_backend: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"EMAIL_URL", "DEBUG", "SITE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="coalition.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_db.url(),
        TASK_BACKEND=task_backend,
        # Shared by every process, as on several machines: links signed by one are read by another.
        SECRET_KEY="multiprocess-test-key-not-a-secret-0123456789abcdef",
        VAR_DIR=str(var_dir),
        HOST="127.0.0.1",
        WEB_CONCURRENCY="1",
        WORKER_HEARTBEAT_SECONDS="1",
        WORKER_DEAD_AFTER_SECONDS="3",
        LETTERS_SIMILARITY_PERCENT="101",  # the letters are alike on purpose; no holds here
        LETTERS_SUBMIT_RATE_PER_IP="1000/h",
        MEMBERS_SIGNUP_RATE_PER_IP="1000/h",
        EVENTS_RSVP_RATE_PER_IP="1000/h",
    )
    env.update(extra)
    return env


def enqueue_slow_task(env: dict[str, str], log: Path, until: Path) -> None:
    """Through the backend the processes use (the database or RQ), from a process of its own."""
    code = (
        "from coalition.core.tests.tasks import note_pid_and_wait; "
        f"note_pid_and_wait.enqueue({str(log)!r}, {str(until)!r})"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def links(pattern: str) -> list[str]:
    """The secret links in the outbox (the stored e-mails lose theirs once sent)."""
    bodies = OutboxMessage.objects.values_list("body_text", flat=True)
    return sorted({match for body in bodies for match in re.findall(pattern, body)})


def run_the_campaign(processes: Processes, env: dict[str, str], tmp_path: Path) -> Path:
    """Two web processes and two workers; letters, sign-ups and replies through both; one worker killed
    mid-task; returns the slow task's log."""
    norway = StateFactory(iso3="NOR", name="Norway")
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    action = cast(Action, ActionFactory(slug="surge", targets=[minister]))
    event = cast(Event, EventFactory(capacity=PLACES))

    webs = [processes.web("web-1", env), processes.web("web-2", env)]
    workers = [processes.worker("worker-1", env), processes.worker("worker-2", env)]
    wait_until(lambda: '"workers": 2' in body_or_nothing(f"{webs[0]}/healthz"), what="both workers beating")

    log, release = tmp_path / "slow-task.log", tmp_path / "slow-task.release"
    enqueue_slow_task(env, log, until=release)
    wait_until(lambda: log.exists() and "started" in log.read_text(), what="a worker to start the slow task")
    running = int(log.read_text().split()[1])

    for n in range(max(LETTERS, SIGN_UPS, REPLIES)):
        web = webs[n % 2]
        if n < LETTERS:
            letter = {
                "name": f"Writer {n}",
                "email": f"writer{n}@example.org",
                "town": "Bergen",
                "body": action.letter_template + f"\n\nPersonal words number {n}.",
                "agree": "on",
                "delivery": "email",
                "send": "1",
            }
            status, body = http(f"{web}/act/surge/", letter)
            assert status == 302, body[-2000:]
        if n == 1:
            # Killed while it runs the slow task, with letters still arriving: no clean-up, no goodbye.
            processes.kill(next(worker for worker in workers if worker.pid == running))
        if n < SIGN_UPS:
            status, body = http(f"{web}/members/sign-up/", {"name": f"Signer {n}", "email": f"signer{n}@example.org"})
            assert status == 302, body[-2000:]
        if n < REPLIES:
            reply = {"name": f"Guest {n}", "email": f"guest{n}@example.org", "guests": n % 2}
            status, body = http(f"{web}/events/{event.pk}/rsvp/", reply)
            assert status == 302, body[-2000:]

    # The surviving worker takes the killed one's task up again (and holds it until released, so the run above
    # is the same on a fast or a slow machine); then it goes on with the e-mails.
    wait_until(lambda: log.read_text().count("started") == 2, what="the slow task to be started again")
    release.touch()

    # Every confirmation e-mail went out; then the writers and signers confirm, through both web processes.
    expected_emails = LETTERS + SIGN_UPS + REPLIES
    wait_until(lambda: Email.objects.filter(status=Email.Status.SENT).count() == expected_emails, what="e-mails")
    confirm_letters = links(r"/act/confirm/[^/\s]+/")
    confirm_sign_ups = links(r"/members/sign-up/confirm/[^/\s]+/")
    assert (len(confirm_letters), len(confirm_sign_ups)) == (LETTERS, SIGN_UPS)
    for n, path in enumerate(confirm_letters + confirm_sign_ups):
        status, body = http(f"{webs[n % 2]}{path}", {})
        assert status == 200, body[-2000:]

    wait_until(lambda: Message.objects.filter(status=Message.Status.SENT).count() == LETTERS, what="letters sent")
    wait_until(lambda: not Email.objects.exclude(status=Email.Status.SENT).exists(), what="every e-mail sent")
    wait_until(lambda: "done" in log.read_text(), what="the slow task to be finished")
    wait_until(lambda: '"waiting": 0' in body_or_nothing(f"{webs[1]}/healthz"), what="an empty queue")
    return log


def assert_everything_ran_once_and_counts_agree(log: Path) -> None:
    lines = log.read_text().splitlines()
    assert len(lines) == 3 and lines[2].startswith("done"), lines
    assert lines[0] != lines[1], "started again by the other worker after the kill"
    assert lines[2].split()[1] == lines[1].split()[1], "and finished by it, once"

    # Each e-mail (confirmations and what follows them, and the letters to the official) went out exactly once.
    emails = Email.objects.all()
    assert emails.count() >= LETTERS + SIGN_UPS + REPLIES and not emails.exclude(status=Email.Status.SENT).exists()
    sent_ids = list(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(sent_ids) == len(set(sent_ids)) == emails.count() + LETTERS
    assert set(sent_ids) == set(emails.values_list("message_id", flat=True)) | set(
        Message.objects.values_list("message_id", flat=True)
    )

    action = Action.objects.get(slug="surge")
    messages = Message.objects.filter(action=action)
    assert Letter.objects.filter(status=Letter.Status.CONFIRMED).count() == LETTERS
    assert action.confirmed_count == messages.exclude(status=Message.Status.UNCONFIRMED).count() == LETTERS
    assert action.sent_count == messages.filter(status=Message.Status.SENT).count() == LETTERS
    per_official = ActionCount.objects.get(action=action)
    assert (per_official.confirmed, per_official.sent) == (LETTERS, LETTERS)
    assert DailySlot.objects.aggregate(n=Sum("count"))["n"] == messages.filter(cap_day__isnull=False).count()

    event = Event.objects.get()
    confirmed = RSVP.objects.filter(event=event, status=RSVP.Status.CONFIRMED)
    places = confirmed.count() + (confirmed.aggregate(n=Sum("guests"))["n"] or 0)
    assert event.places_taken == places <= PLACES
    assert RSVP.objects.filter(event=event).count() == REPLIES
    assert RSVP.objects.filter(event=event, status=RSVP.Status.WAITING).exists(), "the last replies wait"

    signers = Supporter.objects.filter(email__startswith="signer")
    assert signers.count() == signers.filter(status=Supporter.Status.CONFIRMED).count() == SIGN_UPS


def campaign_with_a_worker_killed(tmp_path, var_dir, backend: str) -> None:
    """The campaign through both web processes with one worker killed mid-task; every task once, counts agree
    (the processes' logs are added to a failure)."""
    env = environment(var_dir, backend)
    with Processes(tmp_path) as processes:
        try:
            log = run_the_campaign(processes, env, tmp_path)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{processes.logs()}") from error
    assert_everything_ran_once_and_counts_agree(log)


def test_two_web_processes_and_two_database_workers_one_killed_run_every_task_once(tmp_path, var_dir, redis_database):
    from django_tasks_db.models import DBTaskResult

    campaign_with_a_worker_killed(tmp_path, var_dir, "database")
    deliveries = DBTaskResult.objects.filter(task_path="coalition.core.delivery.deliver_email")
    assert deliveries.count() == Email.objects.count(), "one task per e-mail, none repeated"
    assert (
        not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
        .filter(task_path__startswith="coalition.core.tests")
        .exists()
    )
    slow = DBTaskResult.objects.get(task_path="coalition.core.tests.tasks.note_pid_and_wait")
    assert len(set(slow.worker_ids)) == 2, "claimed by the killed worker, then by the other"


def test_two_web_processes_and_two_rq_workers_one_killed_run_every_task_once(tmp_path, var_dir, redis_database):
    from django_tasks_rq.backend import Job
    from rq import Queue

    campaign_with_a_worker_killed(tmp_path, var_dir, "redis")
    queue = Queue("default", connection=redis_database, job_class=Job)
    assert queue.count == 0 and queue.failed_job_registry.count == 0
    assert queue.started_job_registry.count == 0, "nothing left marked as running by the dead worker"


def test_a_rate_limit_reached_through_one_web_process_holds_on_the_other(tmp_path, var_dir, redis_database):
    state = StateFactory(iso3="NOR", name="Norway")
    action = cast(Action, ActionFactory(slug="limited", targets=[official(state=state, email="m@mfa.no.example")]))
    env = environment(var_dir, "database", LETTERS_SUBMIT_RATE_PER_IP="3/h")

    def write(web: str, n: int) -> int:
        letter = {
            "name": f"Writer {n}",
            "email": f"writer{n}@example.org",
            "town": "Bergen",
            "body": action.letter_template,
            "agree": "on",
            "delivery": "email",
            "send": "1",
        }
        return http(f"{web}/act/limited/", letter)[0]

    with Processes(tmp_path) as processes:
        first, second = processes.web("web-1", env), processes.web("web-2", env)
        assert [write(first, n) for n in range(3)] == [302, 302, 302]
        assert write(second, 3) == 429, "the other process knows the three letters sent through the first"
        assert write(first, 4) == 429

    assert Letter.objects.count() == 3
