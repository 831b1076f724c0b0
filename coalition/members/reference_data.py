"""The Steering Committee organisations named in the seed text, loaded by `manage.py load_reference_data`.

Only what the seed text states is recorded. Countries are those it gives in brackets or that the
name itself states; Human Rights Watch and the ICBL are given no country. Types are read from the
names (a church aid agency and Pax Christi as faith-based, a physicians' association as
professional); websites, cities, seat dates and joining dates are left blank, except Mines Action
Canada's: a founding member, November 2003 (the day is not known, so only the month is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from coalition.members.models import Organisation, OrganisationStatusChange, SteeringCommitteeSeat

NGO, FAITH, PROFESSIONAL = Organisation.Type.NGO, Organisation.Type.FAITH_BASED, Organisation.Type.PROFESSIONAL

STEERING_COMMITTEE: list[dict[str, Any]] = [
    {
        "slug": "mines-action-canada",
        "name": "Mines Action Canada",
        "country": "CA",
        "type": NGO,
        "founding_member": True,
        "joined_on": date(2003, 11, 1),
        "joined_on_precision": Organisation.DatePrecision.MONTH,
    },
    {"slug": "human-rights-watch", "name": "Human Rights Watch", "country": "", "type": NGO},
    {
        "slug": "international-campaign-to-ban-landmines",
        "name": "International Campaign to Ban Landmines",
        "country": "",
        "type": NGO,
    },
    {"slug": "landmine-action", "name": "Landmine Action", "country": "GB", "type": NGO},
    {"slug": "norwegian-peoples-aid", "name": "Norwegian People's Aid", "country": "NO", "type": NGO},
    {
        "slug": "lebanon-landmine-resource-centre",
        "name": "Lebanon Landmine Resource Centre",
        "country": "LB",
        "type": NGO,
    },
    {"slug": "protection", "name": "Protection", "country": "EG", "type": NGO},
    {"slug": "danchurchaid", "name": "DanChurchAid", "country": "DK", "type": FAITH},
    {
        "slug": "international-physicians-for-the-prevention-of-nuclear-war-russia",
        "name": "International Physicians for the Prevention of Nuclear War",
        "country": "RU",
        "type": PROFESSIONAL,
    },
    {"slug": "pax-christi-ireland", "name": "Pax Christi Ireland", "country": "IE", "type": FAITH},
    {"slug": "pax-christi-netherlands", "name": "Pax Christi Netherlands", "country": "NL", "type": FAITH},
]


def load(*, log: Callable[[str], None]) -> str:
    """Create the organisations that are missing; never overwrite one that exists (its editors own it now)."""
    created = 0
    slugs = [o["slug"] for o in STEERING_COMMITTEE]
    existing = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for fields in STEERING_COMMITTEE:
        if fields["slug"] in existing:
            continue
        organisation = Organisation.objects.create(**fields, status=Organisation.Status.MEMBER)
        OrganisationStatusChange.objects.create(
            organisation=organisation, to_status=Organisation.Status.MEMBER, note="Reference data (seed text)"
        )
        # Seat dates are not in the seed text: an open seat with unknown start.
        SteeringCommitteeSeat.objects.create(organisation=organisation)
        created += 1
        log(f"  + {organisation.name}")
    return f"{created} Steering Committee organisation(s) added, {len(existing)} already there"
