"""The migration that gives replies made before random link secrets one each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.events.models import RSVP
from coalition.lib.tests.migrations import migrate_back_to, migrate_to_latest

BEFORE = [("events", "0002_rsvp_erased_replies_share_the_blank_address")]


@pytest.mark.django_db(transaction=True)
def test_existing_replies_each_get_their_own_random_link_secret():
    Organisation, Event, OldRSVP = migrate_back_to(BEFORE, "members.Organisation", "events.Event", "events.RSVP")
    organisation = Organisation.objects.create(name="Alpha", slug="alpha", country="NO")
    start = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        title="Debate", organisation=organisation, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    for n in range(3):
        OldRSVP.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org", status="confirmed")
    OldRSVP.objects.create(event=event, name="", email="", status="confirmed")  # erased before

    migrate_to_latest()

    tokens = list(RSVP.objects.values_list("token", flat=True))
    assert len(tokens) == 4 and len(set(tokens)) == 4
    assert all(len(token) >= 43 for token in tokens)
