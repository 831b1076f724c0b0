"""A Redis database of the local server for this test run alone.

The Redis tests empty their database before and after each test and start RQ workers on it. Another run of the
suite at the same time (a second checkout, the other database's run) or a worker process a killed run left
behind would otherwise empty this run's queue or take its jobs: each run claims a free database (a key set
with NX and an expiry) and keeps it while it runs. TEST_REDIS_URL names the first database tried (15 by default);
the others are tried downwards from there.
"""

from __future__ import annotations

import atexit
import functools
import os
import urllib.parse

import redis

BASE_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CLAIM_KEY = "coalition:tests:claimed-by"
CLAIM_SECONDS = 3 * 60 * 60  # renewed by each emptying, so only a run dead for this long gives its database up


def missing() -> str:
    """Why the Redis tests cannot run here, or '' when the server answers."""
    try:
        redis.Redis.from_url(BASE_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, ValueError) as exc:
        return f"needs a Redis at TEST_REDIS_URL ({BASE_URL}): {type(exc).__name__}"
    return ""


def _with_db(number: int) -> str:
    parts = urllib.parse.urlsplit(BASE_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))


def _claim_value() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"


@functools.cache
def url() -> str:
    """This run's database: the first one no other run holds."""
    first = int(urllib.parse.urlsplit(BASE_URL).path.strip("/") or 0)
    for number in [first, *(n for n in range(15, 0, -1) if n != first)]:
        candidate = _with_db(number)
        client = redis.Redis.from_url(candidate)
        if (
            client.set(CLAIM_KEY, _claim_value(), nx=True, ex=CLAIM_SECONDS)
            or client.get(CLAIM_KEY) == _claim_value().encode()
        ):
            atexit.register(_release, candidate)
            return candidate
    raise RuntimeError(f"every database 1-15 of {BASE_URL} is held by another test run ({CLAIM_KEY})")


def _release(candidate: str) -> None:
    client = redis.Redis.from_url(candidate)
    if client.get(CLAIM_KEY) == _claim_value().encode():
        client.delete(CLAIM_KEY)


def emptied() -> redis.Redis:
    """This run's database, emptied (the claim is kept)."""
    client = redis.Redis.from_url(url())
    client.flushdb()
    client.set(CLAIM_KEY, _claim_value(), ex=CLAIM_SECONDS)
    return client
