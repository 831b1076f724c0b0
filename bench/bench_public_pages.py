"""public-pages: p50/p95 of the public pages against the bare view, at the same fixed request rate."""

from __future__ import annotations

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave, log, wrk

ID = "public-pages"
# The pages BENCHMARKS.md lists; those whose app has not landed yet are skipped (404 at the server).
PAGES = ["/", "/states/", "/states/NOR/", "/events/", "/research/", "/members/"]


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    for kind in databases:
        with prepared(kind, demo_scale=scale) as database, gunicorn(database.environ) as server:
            ceiling = wrk(f"{server.url}/bench/ok", seconds=seconds).requests_per_s
            rate = ceiling / 2
            log(f"[{kind}] bare view: {ceiling:,.0f} req/s; latency measured at {rate:,.0f} req/s")
            for page in PAGES:
                probe = wrk(f"{server.url}{page}", seconds=1, connections=1, threads=1)
                if probe.errors:
                    log(f"[{kind}] {page}: not available yet (errors/non-2xx), skipped")
                    continue
                comparison: Comparison = interleave(
                    f"{page} p95 ({kind})",
                    page,
                    "bare view",
                    lambda page=page, rate=rate: wrk(f"{server.url}{page}", seconds=seconds, rate=rate).p95_ms,
                    lambda rate=rate: wrk(f"{server.url}/bench/ok", seconds=seconds, rate=rate).p95_ms,
                    pairs=pairs,
                    unit="ms p95",
                    goal="≤ 10× (A ÷ B)",
                )
                rows.append(comparison.row())
            server_description = server.description
    header = (
        f"## public-pages\n\nServer: {server_description}; wrk closed loop paced to half the bare view's maximum; "
        f"demo scale: {scale or 'reference data only'}. Here the ratio is the page's p95 ÷ the bare view's p95 "
        "(lower is better).\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
