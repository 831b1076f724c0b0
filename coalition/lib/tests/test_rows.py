"""`rows.insert`: the hot path's raw INSERT writes what `save()` would, and refuses a model whose `save()` or
signal receivers it would silently skip."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from coalition.core.models import AuditEntry, WorkerHeartbeat
from coalition.lib import rows
from coalition.members.models import Supporter

pytestmark = pytest.mark.django_db


def test_insert_writes_the_rows_with_their_defaults_and_sets_their_keys():
    supporters = [Supporter(email="a@example.org", name="Ana"), Supporter(email="b@example.org", name="Ben")]

    assert rows.insert(supporters)

    assert [s.pk for s in supporters] == list(Supporter.objects.order_by("pk").values_list("pk", flat=True))
    stored = Supporter.objects.get(email="b@example.org")
    assert stored.name == "Ben" and stored.status == Supporter.Status.PENDING and stored.created_at is not None
    assert not supporters[0]._state.adding


def test_a_row_breaking_a_unique_constraint_is_skipped_and_said_so():
    rows.insert([Supporter(email="a@example.org")])

    again = Supporter(email="a@example.org")
    assert rows.insert([again], skip_conflict=True) is False
    assert again.pk is None and Supporter.objects.count() == 1


def test_insert_refuses_a_model_that_overrides_save():
    with pytest.raises(rows.RowsRefused, match="overrides save"):
        rows.insert([AuditEntry(action="test")])


@pytest.mark.parametrize("signal", [pre_save, post_save], ids=["pre_save", "post_save"])
def test_insert_refuses_a_model_once_a_receiver_listens_to_its_saves(signal):
    def receiver(sender, **kwargs):  # pragma: no cover - never called: the insert is refused
        raise AssertionError

    signal.connect(receiver, sender=WorkerHeartbeat, dispatch_uid="test-rows-guard")
    try:
        with pytest.raises(rows.RowsRefused, match="receivers"):
            rows.insert([WorkerHeartbeat(worker_id="w1", last_seen=timezone.now())])
    finally:
        signal.disconnect(sender=WorkerHeartbeat, dispatch_uid="test-rows-guard")
    assert not WorkerHeartbeat.objects.exists()

    assert rows.insert([WorkerHeartbeat(worker_id="w1", last_seen=timezone.now())]), "plain again once disconnected"


def test_a_receiver_whose_effect_the_caller_gives_is_allowed_by_name_and_no_other():
    def defaults_last_seen(sender, instance, **kwargs):  # pragma: no cover - reproduced by the caller
        instance.last_seen = instance.last_seen or timezone.now()

    pre_save.connect(defaults_last_seen, sender=WorkerHeartbeat, dispatch_uid="test-rows-guard")
    try:
        assert rows.insert([WorkerHeartbeat(worker_id="w1", last_seen=timezone.now())], reproduces={defaults_last_seen})
        with pytest.raises(rows.RowsRefused, match="defaults_last_seen"):
            rows.insert([WorkerHeartbeat(worker_id="w2", last_seen=timezone.now())], reproduces={print})
    finally:
        pre_save.disconnect(sender=WorkerHeartbeat, dispatch_uid="test-rows-guard")
