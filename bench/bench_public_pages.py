"""public-pages: p50/p95 of the public pages against the bare view, at the same fixed request rate."""

from __future__ import annotations

from functools import partial

from bench.databases import answering
from bench.harness import Comparison, interleave, log, wrk

ID = "public-pages"
# The pages BENCHMARKS.md lists; those whose app has not landed yet are skipped (404 at the server).
PAGES = [
    "/",
    "/members/",
    "/states/",
    "/states/NOR/",
    "/meetings/",
    "/events/",
    "/act/demo-join-the-ban/",
    "/research/",
    "/news/",
    "/states/obligations/",
]


def _p95_ms(url: str, *, seconds: float, rate: float) -> float:
    """wrk paced to `rate`. A slow page gets few requests at half its maximum: fewer connections, so each sends
    several."""
    conns = max(1, min(16, int(rate * seconds / 10)))
    return wrk(url, seconds=seconds, rate=rate, connections=conns, threads=min(2, conns)).p95_ms


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    server_description = ""
    for kind, server, page in answering(databases, PAGES, demo_scale=scale):
        # Paced at half of what the page itself can serve, so the p95 is the page's own time and not a
        # queue: paced at half the bare view's maximum, a page slower than that only measures its backlog.
        ceiling = wrk(f"{server.url}{page}", seconds=seconds).requests_per_s
        rate = max(1.0, ceiling / 2)
        log(f"[{kind}] {page}: {ceiling:,.0f} req/s at most; latency measured at {rate:,.0f} req/s")
        comparison: Comparison = interleave(
            f"{page} p95 ({kind}, {rate:,.0f} req/s)",
            page,
            "bare view",
            partial(_p95_ms, f"{server.url}{page}", seconds=seconds, rate=rate),
            partial(_p95_ms, f"{server.url}/bench/ok", seconds=seconds, rate=rate),
            pairs=pairs,
            unit="ms p95",
            goal="≤ 10× (A ÷ B)",
        )
        rows.append(comparison.row())
        server_description = server.description
    header = (
        f"## public-pages\n\nServer: {server_description}; for each page, wrk paced to half the page's own "
        "maximum (closed loop, 16 connections), and the bare view paced to the same rate; "
        f"demo scale: {scale or 'reference data only'}. Anonymous visitors without cookies, so pages come from the "
        "page cache (`coalition/lib/page_cache.py`) once rendered; each answer still sets its own CSRF cookie "
        "where the page has a form. Here the ratio is the page's p95 ÷ the bare view's p95 "
        "(lower is better).\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
