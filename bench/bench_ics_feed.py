"""ics-feed: `/events/feed.ics` with 5,000 events against serialising the same events with the icalendar
library directly (in the same process, on the same database), interleaved A B A B.

Both arms are timed as wall time per feed: the subject through the full Django stack (URL routing,
middleware, the query, the view), the baseline as a bare loop building one VEVENT per event from rows
already fetched. The ratio is subject ÷ baseline (lower is better; goal ≤ 2×).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.databases import prepared
from bench.harness import PYTHON, ROOT, Comparison, log

ID = "ics-feed"
EVENTS = 5_000

# Runs inside the prepared environment (bench settings, the benchmark database), so both arms read the
# same rows through the same connection; prints one "A B" pair of seconds per line.
MEASURE = r"""
import statistics, sys, time
import django
django.setup()
import icalendar
from django.test import Client
from coalition.events.models import Event
from coalition.events import selectors

pairs = int(sys.argv[1])
client = Client()

def subject():
    started = time.perf_counter()
    response = client.get("/events/feed.ics")
    body = response.content
    assert response.status_code == 200 and body.count(b"BEGIN:VEVENT") >= EXPECTED, body[:200]
    return time.perf_counter() - started

def baseline():
    started = time.perf_counter()
    rows = list(selectors.feed_events())
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    for event in rows:
        component = icalendar.Event()
        component.add("uid", f"event-{event.pk}@bench")
        component.add("dtstamp", event.updated_at)
        component.add("dtstart", event.starts_at.astimezone(event.zone))
        component.add("dtend", event.ends_at.astimezone(event.zone))
        component.add("summary", event.title)
        component.add("description", event.description)
        component.add("location", event.public_place)
        component.add("url", f"http://bench{event.get_absolute_url()}")
        calendar.add_component(component)
    calendar.add_missing_timezones()
    body = calendar.to_ical()
    assert body.count(b"BEGIN:VEVENT") >= EXPECTED
    return time.perf_counter() - started

EXPECTED = selectors.feed_events().count()
print(f"events {EXPECTED}", flush=True)
subject(); baseline()  # warm-up
for _ in range(pairs):
    print(f"{subject():.6f} {baseline():.6f}", flush=True)
"""


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    for kind in databases:
        with prepared(kind, demo_scale=None) as database:
            log(f"[{kind}] generating {EVENTS} demo events…")
            subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "manage.py"),
                    "generate_demo_data",
                    "--organisations=50",
                    "--supporters=0",
                    f"--events={EVENTS}",
                    "-v0",
                ],
                env=database.environ,
                cwd=ROOT,
                check=True,
            )
            environ = dict(database.environ)
            output = subprocess.run(
                [PYTHON, "-c", MEASURE, str(max(5, pairs))],
                env=environ,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if output.returncode != 0:
                raise RuntimeError(output.stderr[-3000:])
            lines = output.stdout.strip().splitlines()
            count = lines[0].split()[1]
            comparison = Comparison(
                name=f"feed.ics ({kind}, {count} events)",
                subject="/events/feed.ics",
                baseline="icalendar loop",
                unit="ms per feed",
                goal="≤ 2× (A ÷ B)",
            )
            for line in lines[1:]:
                a, b = (float(value) * 1000 for value in line.split())
                ratio = comparison.add(a, b)
                log(f"  {comparison.name}: A={a:,.1f} B={b:,.1f} ms ratio={ratio:.2f}")
            rows.append(comparison.row())
    header = (
        "## ics-feed\n\n"
        "Subject: `GET /events/feed.ics` through Django's test client (routing, middleware, query, view, "
        "VEVENTs written line by line, VTIMEZONEs from icalendar); baseline: the same rows fetched and serialised "
        "with the icalendar library in a plain loop. Both in one process, "
        "interleaved A B after a warm-up. Ratio = subject ÷ baseline (lower is better).\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
