"""Moments on staff pages and deadlines carry their zone: the site's TIME_ZONE, named, never a silent UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone


def render(text: str, **context) -> str:
    return Template("{% load times %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("zone", "shown", "name"),
    [("Europe/Zurich", "15:05", "CET"), ("Asia/Beirut", "16:05", "EET"), ("UTC", "14:05", "UTC")],
)
def test_a_moment_is_shown_in_the_sites_zone_with_the_zones_name(settings, zone, shown, name):
    settings.TIME_ZONE = zone
    moment = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)

    with timezone.override(zone):
        html = render("{{ moment|zoned }}", moment=moment)

    assert shown in html and html.endswith(f" {name}</time>")
    assert 'datetime="2026-11-30T' in html


def test_a_deadline_day_names_the_zone_whose_day_it_is(settings):
    with timezone.override("Europe/Zurich"):
        html = render("{{ day|zoned_date }}", day=date(2027, 4, 30))

    assert "30" in html and "2027" in html and "(Europe/Zurich)" in html


def test_nothing_is_shown_for_no_moment():
    assert render("[{{ none|zoned }}{{ none|zoned_date }}]", none=None) == "[]"


@pytest.mark.django_db
def test_a_mailings_send_time_shows_the_configured_zone_not_utc(client, settings, carol):
    from coalition.mailings.tests.factories import MailingFactory

    settings.TIME_ZONE = "Europe/Zurich"
    mailing = MailingFactory(send_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    client.force_login(carol)

    page = client.get(f"/mailings/staff/{mailing.pk}/").content.decode()

    assert 'datetime="2026-12-01T09:00:00+01:00"' in page and "9 a.m. CET</time>" in page
    assert "(UTC)" not in page
