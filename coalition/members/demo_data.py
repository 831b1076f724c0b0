"""Synthetic organisations and supporters for development and benchmarks (`manage.py generate_demo_data`).

Everything made here is marked as fake: names start with "Demo", e-mail addresses end in
@example.invalid (a domain that can never receive mail), and slugs start with "demo-".
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import connections, router
from django.utils import timezone
from django_countries import countries

from coalition.lib import rows
from coalition.members.models import Organisation, Supporter

# Volume name → count at each scale; the command turns each into a `--<name> N` option.
VOLUMES = {
    "organisations": {"small": 50, "large": 500, "help": "demo member organisations"},
    "supporters": {"small": 1_000, "large": 100_000, "help": "demo confirmed supporters"},
}
BATCH = 5_000


def generate(*, volumes: dict[str, int], rng: random.Random, log: Callable[[str], None]) -> str:
    codes = [country.code for country in countries]
    # A coalition's members cluster in some countries: draw from 60 of them, some far more often.
    home_countries = rng.sample(codes, k=min(60, len(codes)))
    weights = [1 / (rank + 1) for rank in range(len(home_countries))]
    types = Organisation.Type.values
    today = timezone.localdate()

    organisations = [
        Organisation(
            name=f"Demo Organisation {n:04d}",
            slug=f"demo-organisation-{n:04d}",
            type=rng.choice(types),
            country=rng.choices(home_countries, weights)[0],
            city="Demo City",
            description="Synthetic organisation made by generate_demo_data.",
            status=Organisation.Status.MEMBER,
            joined_on=today.replace(year=today.year - rng.randint(0, 20)),
        )
        for n in range(1, volumes["organisations"] + 1)
    ]
    for start in range(0, len(organisations), BATCH):
        Organisation.objects.bulk_create(organisations[start : start + BATCH], ignore_conflicts=True)
    log(f"  organisations {len(organisations)}/{len(organisations)}")
    org_ids = list(Organisation.objects.filter(slug__startswith="demo-organisation-").values_list("pk", flat=True))

    total, now = volumes["supporters"], timezone.now()
    # Written through executemany (coalition.lib.rows.insert_many), with the same draws in the same order as
    # one Supporter(...) per row made: same seed, same supporters.
    template = Supporter(status=Supporter.Status.CONFIRMED, confirmed_at=now)
    languages_field = Supporter._meta.get_field("languages")
    connection = connections[router.db_for_write(Supporter)]
    as_stored = {code: languages_field.get_db_prep_save([code], connection) for code in ("en", "fr", "es", "ar")}
    for start in range(0, total, BATCH):
        rows.insert_many(
            Supporter,
            template=template,
            columns=("name", "email", "country", "languages", "referred_by_id"),
            rows=[
                (
                    f"Demo Supporter {n:06d}",
                    f"demo-supporter-{n:06d}@example.invalid",
                    rng.choices(home_countries, weights)[0],
                    as_stored[rng.choice(["en", "fr", "es", "ar"])],
                    # One in ten came through a member organisation's referral link.
                    rng.choice(org_ids) if org_ids and rng.random() < 0.1 else None,
                )
                for n in range(start + 1, min(start + BATCH, total) + 1)
            ],
            skip_conflicts=True,
        )
        if min(start + BATCH, total) % 50_000 < BATCH:
            log(f"  supporters {min(start + BATCH, total)}/{total}")
    return f"{len(organisations)} demo organisations, {total} demo supporters (existing ones kept)"
