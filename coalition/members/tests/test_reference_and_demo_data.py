"""The Steering Committee from the seed text, loaded idempotently; synthetic demo data, clearly marked."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coalition.members.models import Organisation, OrganisationStatusChange, SteeringCommitteeSeat, Supporter

pytestmark = pytest.mark.django_db


def test_the_reference_data_loads_the_steering_committee_named_in_the_seed_text(db):
    call_command("load_reference_data", stdout=StringIO())

    assert Organisation.objects.filter(status="member").count() == 11
    assert SteeringCommitteeSeat.objects.count() == 11
    mac = Organisation.objects.get(slug="mines-action-canada")
    assert mac.founding_member and mac.joined_display == "November 2003"
    assert mac.country.code == "CA"
    assert Organisation.objects.filter(founding_member=True).count() == 1
    hrw = Organisation.objects.get(name="Human Rights Watch")
    assert hrw.country == "" and hrw.website == "" and hrw.joined_on is None  # nothing invented
    assert Organisation.objects.get(name="Protection").country.code == "EG"


def test_loading_the_reference_data_twice_changes_nothing(db):
    call_command("load_reference_data", stdout=StringIO())
    mac = Organisation.objects.get(slug="mines-action-canada")
    mac.description = "Edited by its editors."
    mac.save()
    before = (
        Organisation.objects.count(),
        SteeringCommitteeSeat.objects.count(),
        OrganisationStatusChange.objects.count(),
    )

    call_command("load_reference_data", stdout=StringIO())

    after = (
        Organisation.objects.count(),
        SteeringCommitteeSeat.objects.count(),
        OrganisationStatusChange.objects.count(),
    )
    assert after == before
    assert Organisation.objects.get(slug="mines-action-canada").description == "Edited by its editors."


def test_demo_data_is_synthetic_deterministic_and_not_duplicated(db):
    out = StringIO()
    call_command("generate_demo_data", "--organisations", "12", "--supporters", "30", stdout=out)
    call_command("generate_demo_data", "--organisations", "12", "--supporters", "30", stdout=StringIO())

    assert Organisation.objects.count() == 12
    assert Supporter.objects.count() == 30
    assert all(name.startswith("Demo ") for name in Organisation.objects.values_list("name", flat=True))
    assert all(email.endswith("@example.invalid") for email in Supporter.objects.values_list("email", flat=True))
    assert "supporters 30/30" in out.getvalue()


def test_the_same_seed_gives_the_same_demo_data(db):
    call_command("generate_demo_data", "--organisations", "5", "--supporters", "0", stdout=StringIO())
    first = list(Organisation.objects.order_by("slug").values_list("country", "type"))
    Organisation.objects.all().delete()
    call_command("generate_demo_data", "--organisations", "5", "--supporters", "0", stdout=StringIO())

    assert list(Organisation.objects.order_by("slug").values_list("country", "type")) == first


def test_the_demo_command_offers_scales_and_one_option_per_volume():
    from coalition.members.management.commands.generate_demo_data import Command

    parser = Command().create_parser("manage.py", "generate_demo_data")
    options = parser.parse_args(["--scale", "large"])

    assert options.scale == "large" and options.organisations is None and options.supporters is None
    assert "large 100000" in " ".join(parser.format_help().replace(",", "").split())
