"""state-brief: the country brief of Laos as a PDF, against rendering the same brief as HTML alone.

Laos is the state the research demo data gives most casualty records. At `--scale large` the database holds the
large demo volume of what the public brief reads — 1,000,000 casualties and 100,000 strikes (the research figures);
the volumes only signed-in coalition users' brief reads (letters, meetings with officials) are left out, their
generation being most of the hour the full large volume takes. Both arms read the same data through
`states.brief.state_brief`; the PDF arm then draws it with fpdf2 (HarfBuzz only for the lines that need it), or
takes it from the cache when the same content was drawn before. A second row per database turns that cache off
(STATES_BRIEF_PDF_CACHE_SECONDS=0): the cost of drawing a brief whose data just changed.
"""

from __future__ import annotations

import time
import urllib.request

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave

ID = "state-brief"
ISO3 = "LAO"
# What the public brief reads, at the large demo volume (members.generate_demo_data options).
LARGE_VOLUMES = {"casualties": 1_000_000, "strikes": 100_000}


def _mean_ms(url: str, *, seconds: float, at_least: int = 4) -> float:
    """One client, sequential requests for `seconds` (and at least `at_least` answers): the mean time of one
    answer. Not wrk: with one connection its mean is 1/rate over the window, and answers slower than its 2 s
    timeout are not counted at all — the PDF drawn under load was reported as 1.5 s or 3 s, or crashed the run."""
    timings: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or len(timings) < at_least:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310  the local benchmark server
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
        timings.append(time.perf_counter() - start)
    return 1000 * sum(timings) / len(timings)


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    description = ""
    for kind in databases:
        volumes = LARGE_VOLUMES if scale == "large" else None
        with prepared(kind, demo_scale=scale, demo_volumes=volumes) as database:
            for label, extra in (("", {}), (", drawn each time", {"STATES_BRIEF_PDF_CACHE_SECONDS": "0"})):
                with gunicorn({**database.environ, **extra}) as server:
                    description = server.description

                    def mean_ms(path: str, url: str = server.url) -> float:
                        return _mean_ms(f"{url}{path}", seconds=seconds)

                    comparison: Comparison = interleave(
                        f"brief PDF{label} ({kind})",
                        f"/states/{ISO3}/brief.pdf",
                        f"/states/{ISO3}/brief/ (HTML)",
                        lambda: mean_ms(f"/states/{ISO3}/brief.pdf"),
                        lambda: mean_ms(f"/states/{ISO3}/brief/"),
                        pairs=pairs,
                        unit="ms per answer",
                        goal="≤ 5× (A ÷ B)",
                    )
                    rows.append(comparison.row())
    volume = ", ".join(f"{n:,} {name}" for name, n in LARGE_VOLUMES.items()) if scale == "large" else scale
    header = (
        f"## state-brief\n\nDemo volume: {volume or 'reference data only'}. A: one client requesting "
        f"`/states/{ISO3}/brief.pdf` in a loop (urllib, sequential, at least four answers) through {description}, "
        "mean time per answer; B: the same brief as "
        "HTML (`/states/{ISO3}/brief/`), same client. Both gather the same data (a fixed number of queries); A adds "
        "the PDF: from the cache when the same content was drawn before, else drawn (fpdf2, the font parsed once "
        "per process, its subset embedded) — the *drawn each time* rows run with the cache off. "
        "Lower is better.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header.replace("{ISO3}", ISO3) + "\n".join(rows)
