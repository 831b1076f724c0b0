"""Per-official daily caps: beyond the cap, messages wait for the next day; none is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.core.audit import Actor
from coalition.letters import delivery, services
from coalition.letters.models import DailySlot, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.members.models import Supporter
from coalition.members.supporters import supporter_erase

pytestmark = pytest.mark.django_db

# The staff page: session, user, OTP device, two permission reads, the action, statuses, held messages,
# counts by official, and one query for what waits for later days.
QUERIES = 10


@pytest.fixture
def no_holds(settings):
    settings.LETTERS_SIMILARITY_PERCENT = 101


def test_messages_beyond_the_daily_cap_are_queued_for_the_next_days(
    action, settings, no_holds, run_tasks, smtp_server, django_capture_on_commit_callbacks
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 2
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            services.letter_confirm(letter=write(action, email=f"w{n}@example.org"))

    today = timezone.localdate()
    days = sorted(m.send_after.date() for m in Message.objects.all())
    assert days == [today, today, today + timedelta(days=1), today + timedelta(days=1), today + timedelta(days=2)]
    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}, "queued, not dropped"
    assert list(DailySlot.objects.order_by("day").values_list("count", flat=True)) == [2, 2, 1]

    run_tasks()

    assert Message.objects.filter(status="sent").count() == 2
    assert len(smtp_server.sink.to("minister@mfa.no.example")) == 2


def test_a_message_queued_for_tomorrow_is_not_sent_today_and_is_sent_when_its_day_comes(
    action, settings, no_holds, smtp_server
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    smtp_server.start()
    services.letter_confirm(letter=write(action, email="a@example.org"))
    services.letter_confirm(letter=write(action, email="b@example.org"))
    tomorrow = Message.objects.order_by("send_after").last()

    assert delivery.message_deliver(message_id=tomorrow.pk) == "not yet"
    Message.objects.filter(pk=tomorrow.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert delivery.message_deliver(message_id=tomorrow.pk) == "sent"


def test_two_actions_targeting_one_official_share_one_cap_and_the_overflow_waits_for_the_next_days(
    action, minister, settings, no_holds
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 2
    other_action = ActionFactory(slug="second", targets=[minister])
    for n, target in enumerate([action, other_action, action, other_action, other_action]):
        services.letter_confirm(letter=write(target, email=f"w{n}@example.org"))

    today = timezone.localdate()
    days = sorted((m.send_after.date(), m.action_id) for m in Message.objects.all())
    assert [day for day, _action in days] == [
        today,
        today,
        today + timedelta(days=1),
        today + timedelta(days=1),
        today + timedelta(days=2),
    ]
    assert {a for day, a in days if day == today} == {action.pk, other_action.pk}, "both actions share today's cap"
    assert list(DailySlot.objects.order_by("day").values_list("count", flat=True)) == [2, 2, 1]


def test_an_erased_message_gives_its_place_under_the_cap_to_the_next_writer(action, norway, settings, no_holds):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    services.letter_confirm(letter=write(action, email="ana@example.org"))
    services.letter_confirm(letter=write(action, email="bo@example.org"))  # tomorrow

    supporter_erase(supporter=Supporter.objects.get(email="ana@example.org"), by=Actor.SUBJECT)
    services.letter_confirm(letter=write(action, email="cy@example.org"))

    cy = Message.objects.get(letter__supporter__email="cy@example.org")
    assert cy.send_after.date() == timezone.localdate(), "Ana's place today went to Cy"
    assert list(DailySlot.objects.order_by("day").values_list("count", flat=True)) == [1, 1]


def test_campaigners_see_per_official_how_many_messages_wait_for_later_days(
    client, carol, action, minister, norway, settings, no_holds, django_assert_num_queries
):
    settings.LETTERS_DAILY_CAP_PER_OFFICIAL = 1
    other_action = ActionFactory(slug="second", targets=[minister])
    for n, target in enumerate([action, action, other_action, action]):
        services.letter_confirm(letter=write(target, email=f"w{n}@example.org"))
    client.force_login(carol)
    client.get(f"/act/{action.slug}/staff/")  # warm the session and the caches

    with django_assert_num_queries(QUERIES):
        page = client.get(f"/act/{action.slug}/staff/")

    html = page.text
    row = html[html.index("<td>Minister of Foreign Affairs") :].split("</tr>", 1)[0]
    # Four messages, one a day: three wait for later days, two of them this action's.
    assert "<td>2</td><td>3</td>" in row
    assert "Queued for later days" in html and "Daily cap per official, all actions together: 1." in html

    # The same number of queries with more officials and more messages.
    more = ActionFactory(slug="third", targets=[minister, official(state=norway, email="pm@gov.no.example")])
    for n in range(3):
        services.letter_confirm(letter=write(more, email=f"m{n}@example.org"))
    with django_assert_num_queries(QUERIES):
        client.get(f"/act/{more.slug}/staff/")
