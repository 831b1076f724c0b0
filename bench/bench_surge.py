"""surge: 200 concurrent connections on `/` and an action page for 30 seconds against 2 web processes."""

from __future__ import annotations

import threading

from bench.databases import prepared
from bench.harness import Load, gunicorn, log, manage, wrk

ID = "surge"
SECONDS = 30
CONNECTIONS = 200
ACTION = (
    "from coalition.letters.models import Action; "
    "print(Action.objects.filter(status='published').order_by('pk').values_list('slug', flat=True).first() or '')"
)


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    scale = scale or "small"
    rows: list[str] = []
    server_description = ""
    for kind in databases:
        with prepared(kind, demo_scale=scale) as database:
            slug = manage(database.environ, "shell", "-v0", "-c", ACTION).strip()
            if not slug:
                raise RuntimeError(f"[{kind}] the demo data has no published action")
            paths = ["/", f"/act/{slug}/"]
            with gunicorn(database.environ, workers=2) as server:
                for path in paths:  # warm both processes' caches and connections, as a running site has them
                    wrk(f"{server.url}{path}", seconds=2, connections=4, threads=1)
                results: dict[str, Load] = {}

                def hit(path: str, results: dict[str, Load] = results) -> None:
                    # Half the connections on each page, all at once: 200 open connections in all.
                    results[path] = wrk(f"{server.url}{path}", seconds=SECONDS, connections=CONNECTIONS // 2, threads=1)

                log(f"[{kind}] surge: {CONNECTIONS} connections on {', '.join(paths)} for {SECONDS} s…")
                threads = [threading.Thread(target=hit, args=(path,)) for path in paths]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                for path in paths:
                    load = results[path]
                    log(f"[{kind}] {path}: {load}")
                    others = load.errors - load.timeouts - load.non_2xx
                    rows.append(
                        f"| {kind} | `{path}` | {CONNECTIONS // 2} | {load.requests_per_s:,.1f} | {load.p50_ms:,.0f} "
                        f"| {load.p95_ms:,.0f} | **{load.p99_ms:,.0f}** | **{load.non_2xx}** | {load.timeouts} "
                        f"| {others} |"
                    )
                server_description = server.description
    header = (
        f"## surge\n\nServer: {server_description} (2 web processes), {CONNECTIONS} connections held open at once "
        f"for {SECONDS} s: {CONNECTIONS // 2} on `/` and {CONNECTIONS // 2} on the first published action's page, "
        "two wrk processes side by side, closed loop, 10 s request timeout, after a 2 s warm-up of each page. "
        f"Demo data: `--scale={scale}`. No baseline: the goal is that nothing fails (no 5xx, no socket error or "
        "timeout) while every process is busy; requests wrk gives up on after 10 s are counted apart, since they are "
        "the load generator's limit, not an answer of the site; latency is mostly the wait in gunicorn's listen "
        "queue (2 sync processes serve 2 requests at a time; the other connections wait their turn).\n\n"
        "| database | page | connections | req/s | p50 ms | p95 ms | p99 ms | answers outside 2xx/3xx (5xx) "
        "| given up by wrk after 10 s | other socket errors |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
