"""Staff sessions end after a while without activity; supporters' and visitors' sessions are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock the session rules read forward, as if time had passed between two requests."""
    start = timezone.now()

    class Clock:
        def move(self, **delta):
            later = timezone.now() + timedelta(**delta)
            monkeypatch.setattr(timezone, "now", lambda: later)

    monkeypatch.setattr(timezone, "now", lambda: start)
    return Clock()


def test_a_staff_session_ends_after_two_idle_hours(client, clock, carol):
    client.force_login(carol)
    assert client.get("/members/staff/supporters/").status_code == 200

    clock.move(hours=2, minutes=1)
    response = client.get("/members/staff/supporters/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/members/staff/supporters/"
    followed = client.get(response["Location"])
    assert "You were logged out after a while without activity" in followed.content.decode()
    assert not followed.context["user"].is_authenticated


def test_a_staff_session_in_use_goes_on(client, clock, alice):
    client.force_login(alice)
    for _hour in range(5):
        clock.move(hours=1, minutes=50)
        assert client.get("/admin/").status_code == 200


def test_the_idle_time_is_a_setting(client, clock, settings, carol):
    settings.STAFF_SESSION_IDLE_MINUTES = 10
    client.force_login(carol)
    client.get("/")

    clock.move(minutes=11)

    assert client.get("/members/staff/supporters/").status_code == 302


def test_a_supporters_session_is_not_cut_short(client, clock, sam):
    client.force_login(sam)
    client.get("/")

    clock.move(days=7)

    assert client.get("/").context["user"] == sam


def test_anonymous_visits_write_no_session(client):
    for path in ["/", "/accounts/login/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_a_visitor_without_a_session_cookie_costs_the_session_rules_nothing(client):
    """Public pages under a surge: the idle-session and two-factor rules do not load a user who cannot exist."""
    from unittest import mock

    with (
        mock.patch("coalition.accounts.middleware.is_staff_session") as idle_rule,
        mock.patch("coalition.accounts.middleware.pending_step") as two_factor_rule,
    ):
        response = client.get("/jsi18n/")

    assert response.status_code == 200
    idle_rule.assert_not_called()
    two_factor_rule.assert_not_called()
