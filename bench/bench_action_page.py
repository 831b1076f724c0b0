"""action-page: GET /act/<slug>/ at the large volume, served from the page cache and rendered each time,
against the bare view on the same server (requests/s, closed loop, interleaved)."""

from __future__ import annotations

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave, log, probe, wrk

ID = "action-page"
# The demo data's action (coalition/letters/demo_data.py): a million letters to the foreign minister of the
# writer's own state; its page shows the state chooser, the counters and the letter form.
PAGE = "/act/demo-join-the-ban/"


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    server_description = ""
    for kind in databases:
        with prepared(kind, demo_scale=scale) as database:
            for cached, goal in ((True, "≥ 0.8× (A ÷ B)"), (False, "≥ 0.3× (A ÷ B)")):
                # Uncached: the same server with the page cache turned off, so every request renders the page.
                environ = {**database.environ, "PAGE_CACHE": "true" if cached else "false"}
                label = "cached" if cached else "uncached"
                # Uncached, a render takes hundreds of ms on the loaded machine: 16 connections would leave a queue
                # of them in the server's backlog for the bare view's run that follows. As many connections as
                # web processes keeps the loop closed without a backlog, for both arms alike.
                conns = 16 if cached else 2
                with gunicorn(environ) as server:
                    if errors := probe(f"{server.url}{PAGE}"):
                        raise RuntimeError(f"[{kind}] {PAGE} fails ({errors} errors/non-2xx-3xx)")
                    log(f"[{kind}] {PAGE} {label}")
                    comparison: Comparison = interleave(
                        f"{PAGE} {label} ({kind})",
                        f"GET {PAGE}",
                        "GET /bench/ok",
                        # At least a tenth of a request a second: a run that got nothing (a stalled, overloaded
                        # machine) shows as a ratio far off instead of stopping the benchmark.
                        lambda server=server, conns=conns: max(
                            0.1, wrk(f"{server.url}{PAGE}", seconds=seconds, connections=conns).requests_per_s
                        ),
                        lambda server=server, conns=conns: max(
                            0.1, wrk(f"{server.url}/bench/ok", seconds=seconds, connections=conns).requests_per_s
                        ),
                        pairs=pairs,
                        goal=goal,
                    )
                    rows.append(comparison.row())
                    server_description = server.description
    header = (
        f"## action-page\n\nServer: {server_description}; wrk, closed loop (16 connections cached, 2 uncached: "
        "as many as web processes, so that no backlog of slow renders is left for the bare view's run), "
        "each request a new "
        "visitor (no cookies: each answer sets a new CSRF cookie and carries its own token). Subject: the demo "
        f"action's page `{PAGE}` (a million letters counted; state chooser, counters, letter form), served from "
        "the page cache (`coalition/lib/page_cache.py`) and, on a second server with `PAGE_CACHE=false`, "
        f"rendered for every request. Baseline: the bare view on the same server. Demo scale: "
        f"{scale or 'reference data only'}. Ratio = A ÷ B in requests/s (higher is better).\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
