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

# (slug, name, country, type), in the seed text's order.
ORGANISATIONS = [
    ("mines-action-canada", "Mines Action Canada", "CA", NGO),
    ("human-rights-watch", "Human Rights Watch", "", NGO),
    ("international-campaign-to-ban-landmines", "International Campaign to Ban Landmines", "", NGO),
    ("landmine-action", "Landmine Action", "GB", NGO),
    ("norwegian-peoples-aid", "Norwegian People's Aid", "NO", NGO),
    ("lebanon-landmine-resource-centre", "Lebanon Landmine Resource Centre", "LB", NGO),
    ("protection", "Protection", "EG", NGO),
    ("danchurchaid", "DanChurchAid", "DK", FAITH),
    (
        "international-physicians-for-the-prevention-of-nuclear-war-russia",
        "International Physicians for the Prevention of Nuclear War",
        "RU",
        PROFESSIONAL,
    ),
    ("pax-christi-ireland", "Pax Christi Ireland", "IE", FAITH),
    ("pax-christi-netherlands", "Pax Christi Netherlands", "NL", FAITH),
]
# What the seed text says beyond that: Mines Action Canada was a founding member, from November 2003.
MORE = {
    "mines-action-canada": {
        "founding_member": True,
        "joined_on": date(2003, 11, 1),
        "joined_on_precision": Organisation.DatePrecision.MONTH,
    },
}
STEERING_COMMITTEE: list[dict[str, Any]] = [
    {"slug": slug, "name": name, "country": country, "type": type, **MORE.get(slug, {})}
    for slug, name, country, type in ORGANISATIONS
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
