"""Two people taking the last place at the same moment: one gets it, the other goes to the waiting list."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from coalition.events import services
from coalition.events.models import RSVP
from coalition.events.tests.factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks between concurrent connections: run with DATABASE_URL=postgres://… "
        "(SQLite serialises whole write transactions instead, see docs/decisions/0003-sqlite-default.md)",
    ),
]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001  reported by the test
            results[key] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_two_replies_for_the_last_place_at_the_same_moment_confirm_one_and_queue_the_other():
    event = EventFactory(capacity=1)
    start = threading.Barrier(2)
    results = {}

    def reply(email):
        def go():
            start.wait()
            return services.rsvp_create(event=event, name=email, email=email).status

        return go

    threads = [_in_thread(reply(f"{n}@example.org"), results, n) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(str(status) for status in results.values()) == ["confirmed", "waiting"]
    event.refresh_from_db()
    assert event.places_taken == 1
    assert RSVP.objects.filter(status=RSVP.Status.CONFIRMED).count() == 1


def test_a_reply_waits_for_the_one_holding_the_last_place_and_sees_it_taken():
    # The first transaction takes the last place and holds its lock for a while before committing;
    # without the row lock, the second would read the old count and confirm a place too many.
    event = EventFactory(capacity=1)
    first_has_place = threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            status = services.rsvp_create(event=event, name="First", email="first@example.org").status
            first_has_place.set()
            time.sleep(0.5)
        return status

    def second():
        first_has_place.wait(timeout=10)
        began = time.monotonic()
        status = services.rsvp_create(event=event, name="Second", email="second@example.org").status
        results["waited"] = time.monotonic() - began
        return status

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results["first"] == RSVP.Status.CONFIRMED
    assert results["second"] == RSVP.Status.WAITING
    assert results["waited"] >= 0.3  # it queued behind the lock
    event.refresh_from_db()
    assert event.places_taken == 1
