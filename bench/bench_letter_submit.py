"""letter-submit: POST of a letter (validate, upsert supporter, one message per official, confirmation
e-mail queued, one transaction, honeypot and rate limits on) against the bare view, interleaved."""

from __future__ import annotations

import statistics

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave, log, manage, wrk

ID = "letter-submit"

SETUP = """
from django.utils import timezone
from coalition.letters.models import Action, Person, Position, Term
from coalition.states.models import State
norway = State.objects.get(iso3="NOR")
person = Person.objects.create(key="bench-person", name="Bench Minister")
position = Position.objects.create(key="bench-position", state=norway, role="foreign_minister",
    title="Minister of Foreign Affairs of Norway")
term = Term.objects.create(position=position, person=person, email="minister@bench.invalid",
    verified_on=timezone.localdate())
position.current_term = term
position.save()
action = Action.objects.create(slug="bench", title="Bench action", ask="Join the convention.",
    letter_subject="Please join", status="published", target="fixed",
    letter_template="Dear {{ official_title }} {{ official_name }},\\n\\nPlease join the Convention on Cluster "
    "Munitions. I write from {{ supporter_town }}.\\n\\n{{ supporter_name }}")
action.positions.add(position)
"""

# Each request a new writer (so the per-e-mail limit is not what is measured), with a CSRF cookie and the
# same 32-character token in the form, as a browser sends them.
TOKEN = "benchbenchbenchbenchbenchbench12"  # noqa: S105  a CSRF token of the benchmark, not a secret
SCRIPT = """
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local email = "writer-" .. thread_id .. "-" .. counter .. "-" .. math.random(1000000000) .. "%40example.invalid"
  local body = "csrfmiddlewaretoken=TOKEN&name=Bench+Writer&town=Bergen&agree=on&delivery=email&send=1"
    .. "&email=" .. email
    .. "&body=Dear+%7B%7B+official_title+%7D%7D+%7B%7B+official_name+%7D%7D%2C%0A%0A"
    .. "Please+join.%0A%0A%7B%7B+supporter_name+%7D%7D"
  return wrk.format("POST", "/act/bench/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=TOKEN",
  }, body)
end
""".replace("TOKEN", TOKEN)


def run(*, databases: list[str], pairs: int, seconds: float, scale: str | None) -> str:
    rows: list[str] = []
    server_description = ""
    for kind in databases:
        with prepared(kind, demo_scale=scale) as database:
            environ = {
                **database.environ,
                # Limits stay on (every request counts against them) but high enough not to be what is measured.
                "LETTERS_SUBMIT_RATE_PER_IP": "1000000000/h",
                "LETTERS_SUBMIT_RATE_PER_EMAIL": "1000/h",
            }
            manage(environ, "shell", "-c", SETUP)
            with gunicorn(environ) as server:
                probe = wrk(f"{server.url}/act/bench/", seconds=1, connections=1, threads=1, script=SCRIPT)
                if probe.errors:
                    raise RuntimeError(f"[{kind}] the letter POST fails ({probe.errors} errors/non-2xx-3xx)")
                throughput: Comparison = interleave(
                    f"letter POST req/s ({kind})",
                    "POST /act/bench/",
                    "GET /bench/ok",
                    lambda: wrk(f"{server.url}/act/bench/", seconds=seconds, script=SCRIPT).requests_per_s,
                    lambda: wrk(f"{server.url}/bench/ok", seconds=seconds).requests_per_s,
                    pairs=pairs,
                    goal="≥ 0.5× (A ÷ B)",
                )
                rows.append(throughput.row())
                rate = max(1.0, statistics.median(throughput.subject_values) / 2)
                log(f"[{kind}] p95 at half the letter POST's maximum: {rate:,.0f} req/s")
                latency = interleave(
                    f"p95 at half load ({kind})",
                    "POST /act/bench/",
                    "GET /bench/ok",
                    lambda rate=rate: wrk(f"{server.url}/act/bench/", seconds=seconds, script=SCRIPT, rate=rate).p95_ms,
                    lambda rate=rate: wrk(f"{server.url}/bench/ok", seconds=seconds, rate=rate).p95_ms,
                    pairs=pairs,
                    unit="ms p95",
                    goal="A ≤ 100 ms",
                )
                rows.append(latency.row())
                counts = manage(
                    environ,
                    "shell",
                    "-c",
                    "from coalition.letters.models import Letter, Message; from coalition.core.models import Email; "
                    "print(Letter.objects.count(), Message.objects.count(), Email.objects.count())",
                )
                log(f"[{kind}] letters, messages, confirmation e-mails written: {counts.strip()}")
                server_description = server.description
    header = (
        f"## letter-submit\n\nServer: {server_description}; wrk, 16 connections, closed loop for req/s, then paced to "
        "half the letter POST's median maximum for p95. Subject: POST /act/<slug>/ with a new writer each time "
        "(validation, supporter upsert, letter, one message, confirmation e-mail and its task, one transaction, "
        "honeypot and rate limits on). Baseline: the bare view on the same server. For req/s the ratio is A ÷ B "
        "(higher is better); for p95 lower is better. Where the time goes: `python bench/profile_letter_submit.py` "
        "prints the POST's SQL statements, its time per request in one process and a profile; record the "
        "machine's load (`uptime`) below each run, since the 2 cores are shared.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
