"""Synthetic field research for development and benchmarks (`manage.py generate_demo_data`).

Everything made here is fake and marked so: the source is "Demo data (synthetic)", places are
"Demo place N", and no record carries a name or an address. Records are approved, so they count.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from django.db import connection

from coalition.lib import rows
from coalition.research import services
from coalition.research.importing.writer import Writer
from coalition.research.models import BREAKDOWN_FIELDS, Status, Strike
from coalition.states.models import State

VOLUMES = {
    "casualties": {"small": 2_000, "large": 1_000_000, "help": "demo approved casualty records"},
    "strikes": {"small": 200, "large": 100_000, "help": "demo approved strikes"},
}
DEMO_SOURCE = "Demo data (synthetic)"
# Contaminated states carry most casualties; drawn only from states that exist in the database.
AFFECTED = ["LAO", "VNM", "SYR", "IRQ", "UKR", "KHM", "LBN", "YEM", "AFG", "SRB", "SDN", "SSD", "LBY", "TCD", "AZE"]


def generate(*, volumes: dict[str, int], rng: random.Random, log: Callable[[str], None]) -> str:
    states = list(State.objects.filter(iso3__in=AFFECTED).values_list("iso3", flat=True))
    if not states:
        return "no states loaded (run load_reference_data first); nothing generated"
    bounds = {iso3: services_bounds(iso3) for iso3 in states}
    start, span = date(1965, 1, 1), (date(2024, 12, 31) - date(1965, 1, 1)).days
    writer = Writer(organisation_id=None, status=Status.APPROVED, by_id=None, job_id=None)
    total = volumes["casualties"]
    for n in range(total):
        iso3 = rng.choice(states)
        lat, lon = _point(rng, bounds[iso3])
        killed = rng.random() < 0.4
        writer.add(
            {
                "state": iso3,
                "date": start + timedelta(days=rng.randrange(span)),
                "date_end": None,
                "place_name": f"Demo place {n % 5000}",
                "admin_area": "",
                "latitude": lat,
                "longitude": lon,
                "location_precision": "approximate",
                "killed": 1 if killed else 0,
                "injured": 0 if killed else 1,
                **_breakdowns(rng, killed=killed),
                "activity": "",
                "phase": rng.choice(["strike", "remnant", "unknown"]),
                "external_id": "",
                "name": "",
                "address": "",
                "source": DEMO_SOURCE,
            }
        )
        if (n + 1) % 100_000 == 0:
            log(f"  casualties {n + 1}/{total}")
    writer.flush()
    services.casualty_totals_refresh()
    source_id = services.source_for_title(DEMO_SOURCE, {})
    strikes = volumes["strikes"]
    delivery = Strike.Delivery.values
    template = Strike(source_id=source_id, status=Status.APPROVED)
    adapt_date = connection.ops.adapt_datefield_value
    for begin in range(0, strikes, 5_000):
        batch = []
        for _n in range(begin, min(begin + 5_000, strikes)):
            iso3 = rng.choice(states)
            lat, lon = _point(rng, bounds[iso3])
            batch.append(
                (iso3, adapt_date(start + timedelta(days=rng.randrange(span))), lat, lon, rng.choice(delivery))
            )
        rows.insert_many(
            Strike, template=template, columns=("state_id", "date", "latitude", "longitude", "delivery"), rows=batch
        )
    log(f"  strikes {strikes}/{strikes}")
    return f"{total} demo casualty records and {strikes} demo strikes, approved"


def _breakdowns(rng: random.Random, *, killed: bool) -> dict[str, int]:
    """One person: the breakdowns they count in (sex, age and status drawn as the Monitor's figures roughly go)."""
    sex = rng.choices(["male", "female", None], [60, 25, 15])[0]
    age = rng.choices(["children", "adults", None], [40, 50, 10])[0]
    status = rng.choices(["civilians", "military", "deminers", None], [80, 8, 2, 10])[0]
    return _groups_counted(sex, age, status, killed)


@cache
def _groups_counted(sex: str | None, age: str | None, status: str | None, killed: bool) -> dict[str, int]:
    """The breakdown columns of one person (72 kinds of person: worked out once each, not per record)."""
    both = {("female", "children"): "girls", ("male", "children"): "boys"}
    both |= {("female", "adults"): "women", ("male", "adults"): "men"}
    groups = {sex, age, status, both.get((sex or "", age or ""))}
    outcome = "killed" if killed else "injured"
    return {
        name: int(name.split("_", 1)[0] == outcome and name.split("_", 1)[1] in groups) for name in BREAKDOWN_FIELDS
    }


def services_bounds(iso3: str) -> tuple[float, float, float, float]:
    from coalition.research.validation import country_bounds

    return country_bounds().get(iso3, (-10.0, 10.0, -10.0, 10.0))


def _point(rng: random.Random, box: tuple[float, float, float, float]) -> tuple[float, float]:
    min_lat, max_lat, min_lon, max_lon = box
    return round(rng.uniform(min_lat, max_lat), 4), round(rng.uniform(min_lon, max_lon), 4)
