"""state-brief: the country brief of Laos as a PDF, against rendering the same brief as HTML alone.

Laos is the state the research demo data gives most casualty records; at `--scale large` the database holds the
large demo volume (500 organisations, 100,000 supporters, 1,000,000 letters, 1,000,000 casualties…). Both arms
read the same data through `states.brief.state_brief`; the PDF arm then draws it with fpdf2 and HarfBuzz.
"""

from __future__ import annotations

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave, wrk

ID = "state-brief"
ISO3 = "LAO"


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    description = ""
    for kind in databases:
        with prepared(kind, demo_scale=scale) as database, gunicorn(database.environ) as server:
            description = server.description

            def mean_ms(path: str) -> float:
                # One connection, sequential requests: the mean time of one answer.
                load = wrk(f"{server.url}{path}", seconds=seconds, connections=1, threads=1)
                return 1000 / load.requests_per_s

            comparison: Comparison = interleave(
                f"brief PDF ({kind})",
                f"/states/{ISO3}/brief.pdf",
                f"/states/{ISO3}/brief/ (HTML)",
                lambda: mean_ms(f"/states/{ISO3}/brief.pdf"),
                lambda: mean_ms(f"/states/{ISO3}/brief/"),
                pairs=pairs,
                unit="ms per answer",
                goal="≤ 5× (A ÷ B)",
            )
            rows.append(comparison.row())
    header = (
        f"## state-brief\n\nDemo scale: {scale or 'reference data only'}. A: one client requesting "
        f"`/states/{ISO3}/brief.pdf` in a loop through {description}, mean time per answer; B: the same brief as "
        "HTML (`/states/{ISO3}/brief/`), same client. Both gather the same data (a fixed number of queries); A adds "
        "drawing the PDF (fpdf2, text shaped by HarfBuzz, the font subset embedded). Lower is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header.replace("{ISO3}", ISO3) + "\n".join(rows)
