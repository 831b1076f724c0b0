"""A supporter's lists and mailings in their data export; erasure takes them off every list and forgets
their bounces."""

from __future__ import annotations

import pytest

from coalition.core.audit import Actor
from coalition.core.personal_data import DataSubject
from coalition.mailings import bounces, personal_data
from coalition.mailings.models import AddressEvent, Subscription, Suppression
from coalition.mailings.tests.factories import MailingListFactory, subscriber
from coalition.members.supporters import supporter_erase

pytestmark = pytest.mark.django_db


def test_export_lists_the_supporters_lists():
    newsletter = MailingListFactory(name="Newsletter")
    ola = subscriber(newsletter)
    exported = personal_data.export(DataSubject(email=ola.email, supporter=ola))
    assert [item["list"] for item in exported["mailing_lists"]] == ["Newsletter"]
    assert exported["mailings_received"] == []


def test_erasure_takes_the_supporter_off_every_list_and_forgets_their_bounces():
    newsletter = MailingListFactory()
    ola = subscriber(newsletter, email="ola@example.org")
    bounces.address_event_record(email="ola@example.org", kind="hard", reason="gone")
    supporter_erase(supporter=ola, by=Actor.SUBJECT)
    assert not Subscription.objects.filter(supporter=ola).exists()
    assert not AddressEvent.objects.exists() and not Suppression.objects.exists()
