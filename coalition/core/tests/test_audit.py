"""The audit trail: what an entry says about who decided, and that no one can change or delete it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from coalition.accounts.tests.factories import UserFactory
from coalition.core.audit import Actor, acting_user, audit_record
from coalition.core.models import AppendOnlyError, AuditEntry
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_the_name_and_address_of_the_account_as_they_were(carol, org_a):
    entry = audit_record(by=carol, action="organisation.set_status", target=org_a, detail={"note": "Dormant"})
    carol.full_name, carol.email = "Carol Renamed", "carol.renamed@example.org"
    carol.save()

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == carol
    assert entry.actor_label == "Carol Campaigner <carol@example.org>"
    assert (entry.object_label, entry.object_id) == ("Alpha Aid", str(org_a.pk))
    assert entry.detail == {"note": "Dormant"}


def test_deleting_an_account_keeps_its_entries_and_the_name_they_recorded(org_a):
    staff = UserFactory(email="leaver@example.org", full_name="Lee Leaver", is_staff=True)
    entry = audit_record(by=staff, action="organisation.set_status", target=org_a)

    staff.delete()

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None
    assert entry.actor_label == "Lee Leaver <leaver@example.org>"
    assert entry.action == "organisation.set_status"


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(carol, org_a):
    entry = audit_record(by=carol, action="organisation.set_status", target=org_a)

    entry.action = "organisation.nothing_happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="organisation.nothing_happened")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()

    assert AuditEntry.objects.get(pk=entry.pk).action == "organisation.set_status"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_an_entry(carol, org_a):
    entry = audit_record(by=carol, action="organisation.set_status", target=org_a)

    for statement in (
        "UPDATE core_auditentry SET action = 'organisation.nothing_happened' WHERE id = %s",
        "UPDATE core_auditentry SET actor_id = NULL, object_label = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.action, entry.actor_id, entry.object_label) == ("organisation.set_status", carol.pk, "Alpha Aid")


def test_an_entry_about_a_supporter_names_them_by_number_only(carol):
    supporter = SupporterFactory(name="Lina Private", email="lina@example.org")

    entry = audit_record(by=carol, action="supporter.erase", target=supporter)

    assert entry.object_label == f"supporter #{supporter.pk}"


def test_the_person_themselves_and_the_system_are_recorded_without_an_account(org_a):
    by_subject = audit_record(by=Actor.SUBJECT, action="supporter.erase", target=org_a)
    by_system = audit_record(by=Actor.SYSTEM, action="organisations.import", target=None, label="CSV import")

    assert (by_subject.actor, by_subject.actor_kind, by_subject.get_actor_kind_display()) == (
        None,
        "subject",
        "the person themselves",
    )
    assert (by_system.actor_kind, by_system.content_type, by_system.object_label) == ("system", None, "CSV import")


def test_a_decision_cannot_be_recorded_as_made_by_no_one(org_a):
    with pytest.raises(TypeError):
        audit_record(by=AnonymousUser(), action="organisation.set_status", target=org_a)
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        acting_user(request)
    assert not AuditEntry.objects.exists()


def test_an_action_is_named_object_dot_verb(carol, org_a):
    with pytest.raises(ValueError, match="object.verb"):
        audit_record(by=carol, action="Approved it!", target=org_a)


def test_long_texts_are_cut_so_an_entry_stays_short(carol, org_a):
    entry = audit_record(by=carol, action="organisation.update_profile", target=org_a, detail={"note": "x" * 5000})

    assert len(entry.detail["note"]) == 300
