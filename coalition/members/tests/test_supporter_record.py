"""`supporter_record`, the upsert behind a letter's writer: one row per address, whatever happens at once."""

from __future__ import annotations

import pytest

from coalition.core.audit import Actor
from coalition.lib import rows
from coalition.members.models import ConsentKind, ConsentRecord, Supporter
from coalition.members.supporters import supporter_erase, supporter_record
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def _record(email="ana@example.org", name="Ana"):
    return supporter_record(
        name=name, email=email, consents={ConsentKind.ACTION_ALERTS: True}, source="letters:write", language="fr"
    )


def test_a_new_address_is_a_new_pending_supporter_with_the_consent_as_given():
    supporter = _record(email=" Ana@Example.ORG ")

    assert Supporter.objects.get() == supporter
    assert (supporter.email, supporter.status, supporter.language) == ("ana@example.org", "pending", "fr")
    record = ConsentRecord.objects.get()
    assert (record.supporter, record.kind, record.granted, record.confirmed_at) == (
        supporter,
        ConsentKind.ACTION_ALERTS,
        True,
        None,
    )


def test_a_known_confirmed_address_keeps_its_name_and_gets_another_consent_record():
    known = SupporterFactory(email="ana@example.org", name="Ana Original", status="confirmed")

    supporter = _record(name="Someone Else")

    assert supporter.pk == known.pk
    assert Supporter.objects.get().name == "Ana Original", "a stranger cannot rename a confirmed supporter"
    assert ConsentRecord.objects.filter(supporter=known).count() == 1


def test_an_address_erased_while_the_letter_was_being_written_gets_a_new_row(monkeypatch):
    """The INSERT found the address taken, but the row was erased before it could be read back."""
    erased = SupporterFactory(email="ana@example.org")
    real_insert = rows.insert

    def conflict_then_erase(objs, **kwargs):
        if kwargs.get("skip_conflict"):
            supporter_erase(supporter=erased, by=Actor.SUBJECT)
            return False
        return real_insert(objs, **kwargs)

    monkeypatch.setattr(rows, "insert", conflict_then_erase)
    supporter = _record()

    assert supporter.pk != erased.pk
    assert Supporter.objects.get(email="ana@example.org") == supporter
    erased.refresh_from_db()
    assert erased.email is None and erased.status == Supporter.Status.ERASED
