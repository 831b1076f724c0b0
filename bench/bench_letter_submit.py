"""letter-submit: POST of a letter (validate, upsert supporter, one message per official, confirmation
e-mail queued, one transaction, honeypot and rate limits on) against the bare view, interleaved."""

from __future__ import annotations

import statistics
import urllib.parse
import uuid

from bench.databases import prepared
from bench.harness import Comparison, gunicorn, interleave, log, manage, probe, wrk

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
    letter_template="Please join the Convention on Cluster Munitions. I write from Bergen.")
action.positions.add(position)
"""

# Each request a new writer (so the per-e-mail limit is not what is measured), with a CSRF cookie and the
# same 32-character token in the form, as a browser sends them. wrk's Lua random numbers repeat from one run
# to the next, so each run's addresses carry the run's own id: otherwise every run after the first would
# measure known writers (a different path) instead of new ones.
TOKEN = "benchbenchbenchbenchbenchbench12"  # noqa: S105  a CSRF token of the benchmark, not a secret
# A letter of the usual length (about 1,000 characters), with a few words of the writer's own; the greeting and
# signature are added for the official (decision 0505).
LETTER = (
    "I am writing to you from Bergen to ask that our country join the Convention on Cluster "
    "Munitions without further delay. Cluster munitions scatter submunitions over wide areas; many fail to "
    "explode and kill or maim civilians, often children, for decades after a conflict ends. More than one "
    "hundred states have already banned them, destroyed their stockpiles and committed to clearing "
    "contaminated land and assisting victims.\n\n"
    "My grandfather farmed land that was cleared only last year, and I have seen what these weapons leave "
    "behind. Joining the Convention would protect civilians, strengthen the norm against these weapons and "
    "show that our country stands with the survivors.\n\n"
    "I would be grateful to know what steps your government will take, and when."
)
SCRIPT = """
local counter = 0
-- A global, not a local: setup() sets it in each thread's own state (a local would stay 0 in every thread,
-- and the threads would send the same addresses).
thread_id = 0
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local email = "writer-RUN-" .. thread_id .. "-" .. counter .. "-" .. math.random(1000000000) .. "%40example.invalid"
  local body = "csrfmiddlewaretoken=TOKEN&name=Bench+Writer&town=Bergen&agree=on&delivery=email&send=1"
    .. "&email=" .. email
    .. "&body=LETTER"
  return wrk.format("POST", "/act/bench/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=TOKEN",
  }, body)
end
""".replace("TOKEN", TOKEN).replace("LETTER", urllib.parse.quote_plus(LETTER))


def script(path: str = "/act/bench/") -> str:
    """The wrk script for one run: new writers, not seen in any earlier run."""
    return SCRIPT.replace("RUN", uuid.uuid4().hex[:12]).replace("/act/bench/", path)


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
                if errors := probe(f"{server.url}/act/bench/", script=script()):
                    raise RuntimeError(f"[{kind}] the letter POST fails ({errors} errors/non-2xx-3xx)")
                # The goal's ratio, measured directly: the letter POST against the floor, interleaved.
                throughput: Comparison = interleave(
                    f"letter POST ÷ raw-SQL floor, req/s ({kind})",
                    "POST /act/bench/",
                    "POST /bench/letter-floor",
                    lambda: wrk(f"{server.url}/act/bench/", seconds=seconds, script=script()).requests_per_s,
                    lambda: (
                        wrk(
                            f"{server.url}/bench/letter-floor", seconds=seconds, script=script("/bench/letter-floor")
                        ).requests_per_s
                    ),
                    pairs=pairs,
                    goal="≥ 0.75× (A ÷ B)",
                )
                rows.append(throughput.row())
                floor = interleave(
                    f"raw-SQL floor ÷ bare view, req/s ({kind})",
                    "POST /bench/letter-floor",
                    "GET /bench/ok",
                    lambda: (
                        wrk(
                            f"{server.url}/bench/letter-floor", seconds=seconds, script=script("/bench/letter-floor")
                        ).requests_per_s
                    ),
                    lambda: wrk(f"{server.url}/bench/ok", seconds=seconds).requests_per_s,
                    pairs=pairs,
                    goal="reference: what writing these rows costs at all on this machine",
                )
                rows.append(floor.row())
                rate = max(1.0, statistics.median(a for a, _b in throughput.rounds) / 2)
                log(f"[{kind}] p95 at half the letter POST's maximum: {rate:,.0f} req/s")
                latency = interleave(
                    f"p95 at half load ({kind})",
                    "POST /act/bench/",
                    "GET /bench/ok",
                    lambda rate=rate: (
                        wrk(f"{server.url}/act/bench/", seconds=seconds, script=script(), rate=rate).p95_ms
                    ),
                    lambda rate=rate: wrk(f"{server.url}/bench/ok", seconds=seconds, rate=rate).p95_ms,
                    pairs=pairs,
                    unit="ms p95",
                    goal="A ≤ 100 ms",
                )
                rows.append(latency.row())
                counts = manage(
                    environ,
                    "shell",
                    "-v0",
                    "-c",
                    "from coalition.letters.models import Letter, Message; from django_tasks_db.models import "
                    "DBTaskResult as T; print(Letter.objects.count(), Message.objects.count(), T.objects.count())",
                )
                log(f"[{kind}] letters, messages, tasks written: {counts.strip()}")
                server_description = server.description
    header = (
        f"## letter-submit\n\nServer: {server_description}; wrk, 16 connections, closed loop for req/s, then paced to "
        "half the letter POST's median maximum for p95. Subject: POST /act/<slug>/ with a new writer each time "
        f"and a letter of {len(LETTER)} characters "
        "(validation, supporter upsert, letter, one message, the task that writes the confirmation e-mail, one "
        "transaction, honeypot and rate limits on). Baseline (revised goal, BENCHMARKS.md): the raw-SQL floor, "
        "`bench/letter_floor.py`, the same rows through a raw cursor with every statement and value prepared once "
        "(no form, no checks), through the same server and middleware, interleaved with the POST in the first row of "
        "each database; the floor against the bare view is the second row. For req/s the ratio is A ÷ B "
        "(higher is better); for p95 lower is better. Where the time goes: `python bench/profile_letter_submit.py` "
        "prints the POST's SQL statements, its time per request in one process and a profile; record the "
        "machine's load (`uptime`) below each run, since the 2 cores are shared.\n\n"
        "| measure | subject (A) | baseline (B) | A | B | unit | ratio A÷B (min–max) | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    return header + "\n".join(rows)
