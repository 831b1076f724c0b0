"""Synthetic events for development and benchmarks (`manage.py generate_demo_data`).

Titles start with "Demo"; events belong to the demo organisations of coalition.members (which the
command generates first), spread from two months ago to a year ahead, in their country's time zone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from coalition.events.models import Event
from coalition.lib.maps import country_centres
from coalition.members.models import Organisation

VOLUMES = {"events": {"small": 100, "large": 5_000, "help": "demo published events"}}
BATCH = 2_000
# A few zones on every continent; each event takes one, so feeds carry several VTIMEZONEs.
ZONES = [
    "Europe/Oslo",
    "Europe/London",
    "Europe/Paris",
    "Asia/Beirut",
    "Asia/Phnom_Penh",
    "Asia/Vientiane",
    "America/Bogota",
    "America/Toronto",
    "Africa/Nairobi",
    "Pacific/Auckland",
]


def generate(*, volumes: dict[str, int], rng: random.Random, log: Callable[[str], None]) -> str:
    total = volumes["events"]
    organisations = list(
        Organisation.objects.filter(slug__startswith="demo-organisation-").values_list("pk", "country")
    )
    if not organisations:
        return "no demo organisations to organise events: nothing generated"
    existing = Event.objects.filter(title__startswith="Demo event ").count()
    positions = country_centres()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    kinds = Event.Kind.values
    made = 0
    for start in range(existing, total, BATCH):
        batch = []
        for n in range(start + 1, min(start + BATCH, total) + 1):
            organisation_id, country = rng.choice(organisations)
            starts = now + timedelta(hours=rng.randint(-60 * 24, 365 * 24))
            lat, lon = positions.get(country, (None, None))
            if lat is not None and lon is not None:  # a venue somewhere around the country's centre
                lat, lon = round(lat + rng.uniform(-1.5, 1.5), 5), round(lon + rng.uniform(-1.5, 1.5), 5)
            batch.append(
                Event(
                    title=f"Demo event {n:05d}",
                    kind=rng.choice(kinds),
                    description="A synthetic event made by **generate_demo_data**.",
                    organisation_id=organisation_id,
                    venue="Demo Hall",
                    address=f"{n} Demo Street",
                    city="Demo City",
                    country=country,
                    latitude=lat,
                    longitude=lon,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=rng.choice([1, 2, 3, 26])),
                    timezone=rng.choice(ZONES),
                    capacity=rng.choice([None, 30, 50, 100, 200]),
                    address_visibility=rng.choice(Event.AddressVisibility.values),
                    status=Event.Status.PUBLISHED,
                    published_at=now,
                )
            )
        Event.objects.bulk_create(batch)
        made += len(batch)
        log(f"  events {start + len(batch)}/{total}")
    return f"{made} demo events ({existing} were already there)"
