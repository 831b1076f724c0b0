"""Fixed-window rate limits kept in the cache (Redis in production, so all web processes share them)."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/h' → (5, 3600); '10/15m' → (10, 900)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"rate {rate!r}: expected e.g. '5/h', '10/15m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _SECONDS[unit]


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind a proxy, the one the proxy saw (the last X-Forwarded-For hop it added)."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _cache_key(scope: str, key: str) -> str:
    # The key is hashed, so e-mail addresses never appear in the cache in clear.
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit(scope: str, key: str, rate: str) -> int:
    """Count one hit for `key` in `scope`, in a window of `rate`'s period that starts at the first hit;
    returns the hits so far in the window."""
    _limit, period = parse_rate(rate)
    cache_key = _cache_key(scope, key)
    # add() is atomic and only sets the first hit of the window; incr() is atomic on Redis and locmem.
    if cache.add(cache_key, 1, timeout=period):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period)
        return 1


def hits_reached(scope: str, key: str, rate: str) -> bool:
    """Whether `key` already has as many hits in `scope` as `rate` allows, without counting one more."""
    limit, _period = parse_rate(rate)
    return int(cache.get(_cache_key(scope, key)) or 0) >= limit


def hits_clear(scope: str, key: str) -> None:
    cache.delete(_cache_key(scope, key))


def is_limited(scope: str, key: str, rate: str) -> bool:
    """Count one hit for `key` in `scope` and say whether it goes over `rate`."""
    limit, _period = parse_rate(rate)
    return hit(scope, key, rate) > limit


def request_is_limited(request: HttpRequest, scope: str, key: str, *, per_key: str, per_ip: str) -> bool:
    """Count one hit for the client's address and one for `key` (an e-mail address, say) in `scope`.

    Both counters are hit every time, so an address cannot hide behind many IPs nor an IP behind many addresses.
    """
    by_ip = is_limited(f"{scope}:ip", client_ip(request), per_ip)
    by_key = bool(key.strip()) and is_limited(f"{scope}:key", key, per_key)
    return by_ip or by_key
