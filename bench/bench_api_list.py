"""api-list: a 100-row page of each list endpoint of the open-data API against a bare JSON view, interleaved."""

from __future__ import annotations

import json
import urllib.request
from functools import partial

from bench.databases import answering
from bench.harness import Comparison, interleave, wrk

ID = "api-list"
# Every list of /api/v1/ (api/router.py and each app's api/views.py); the first page, as a client starts.
ENDPOINTS = [
    "/api/v1/states/",
    "/api/v1/meetings/",
    "/api/v1/organisations/",
    "/api/v1/events/",
    "/api/v1/actions/",
    "/api/v1/research/casualties/",
]


def _rows(url: str) -> str:
    """How many rows the page holds, and of how many."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  the benchmark's own server
        body = json.load(response)
    if isinstance(body, dict) and "results" in body:
        return f"{len(body['results'])} of {body.get('count', '?'):,}"
    return f"{len(body)} (not paginated)"


def _drain(url: str) -> None:
    """Wait until the server has answered what the previous arm left queued: wrk stops, but the sync processes
    still answer every request already in their listen queue (seconds' worth on a slow list), and the next arm
    would measure that backlog."""
    base = url.split("/", 3)
    with urllib.request.urlopen(f"{base[0]}//{base[2]}/bench/ok.json", timeout=120):  # noqa: S310  own server
        pass


def _requests_per_s(url: str, seconds: float) -> float:
    """wrk's req/s after draining; once more if a run completed nothing (a stall on a machine shared by others)."""
    _drain(url)
    for _attempt in range(3):
        rate = wrk(url, seconds=seconds).requests_per_s
        if rate > 0:
            return rate
    raise RuntimeError(f"{url}: no request completed in three runs")


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    scale = scale or "small"
    rows: list[str] = []
    sizes: dict[str, list[str]] = {}
    server_description = ""
    for kind, server, endpoint in answering(databases, ENDPOINTS, demo_scale=scale):
        sizes.setdefault(endpoint, []).append(f"{kind}: {_rows(server.url + endpoint)}")
        comparison: Comparison = interleave(
            f"{endpoint} ({kind})",
            f"GET {endpoint}",
            "GET /bench/ok.json",
            partial(_requests_per_s, f"{server.url}{endpoint}", seconds),
            partial(_requests_per_s, f"{server.url}/bench/ok.json", seconds),
            pairs=pairs,
            goal="≥ 0.2× (A ÷ B)",
        )
        rows.append(comparison.row())
        server_description = server.description
    pages = "; ".join(f"`{endpoint}` {', '.join(values)}" for endpoint, values in sizes.items())
    header = (
        f"## api-list\n\nServer: {server_description}; wrk, 16 connections, closed loop, anonymous GETs (the API's "
        f"per-address throttle off, as for every benchmark: bench/settings.py). Demo data: `--scale={scale}`. "
        "Subject: the first page of each list endpoint (100 rows where the list is that long; states come 250 "
        f"to a page, so all of them). Rows on the page: {pages}. Baseline: a bare `JsonResponse` view through the "
        "same server and middleware. Before each run, one request to the bare view waits for the server to answer "
        "what the previous run left queued. Ratio A ÷ B of requests/s, higher is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
