from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from coalition.lib.ratelimit import client_ip, hit, hits_clear, hits_reached, is_limited, parse_rate


def test_rates_are_read_as_count_per_period():
    assert parse_rate("5/h") == (5, 3600)
    assert parse_rate("10/15m") == (10, 900)
    with pytest.raises(ValueError):
        parse_rate("often")


def test_the_limit_counts_hits_per_key_and_scope():
    cache.clear()
    assert [is_limited("test", "a@example.org", "2/m") for _ in range(3)] == [False, False, True]
    assert is_limited("test", "A@EXAMPLE.ORG", "2/m") is True  # same key in any case
    assert is_limited("test", "b@example.org", "2/m") is False
    assert is_limited("other", "a@example.org", "2/m") is False


def test_hits_can_be_counted_checked_without_counting_and_cleared():
    cache.clear()
    assert [hit("failures", "a@example.org", "2/m") for _ in range(2)] == [1, 2]
    assert hits_reached("failures", "A@example.org", "2/m") is True
    assert hits_reached("failures", "A@example.org", "3/m") is False
    assert hits_reached("failures", "b@example.org", "1/m") is False
    assert hit("failures", "a@example.org", "2/m") == 3  # checking did not count

    hits_clear("failures", "a@example.org")

    assert hits_reached("failures", "a@example.org", "1/m") is False


def test_the_client_ip_comes_from_the_proxy_only_when_behind_one(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.5"
