"""Reviewers' decisions leave one audit entry each: approve, send back, reject, bulk approval (one per record),
assignment, and an import that kept rows; no casualty's personal data is in any of them (decision 0011)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.accounts.tests.factories import UserFactory
from coalition.core.tests.audit_trail import assert_one_entry, entry_text, recorded
from coalition.research.models import Casualty, ImportJob, Researcher, Status
from coalition.research.tests.factories import CasualtyFactory

pytestmark = pytest.mark.django_db

CSV = (
    "state,date,place,killed,injured,civilian_status,sex,age_group,source\n"
    "LAO,2019-07-11,Ban Kok,0,2,civilian,female,adult,UXO Lao 2019\n"
    "SYR,2016-10-05,Aleppo,3,5,unknown,unknown,unknown,SNHR\n"
)


@pytest.mark.parametrize(
    ("decision", "comment", "status"),
    [("approve", "", Status.APPROVED), ("request_changes", "Add the source.", Status.CHANGES_REQUESTED)],
)
def test_a_review_decision_is_recorded_without_the_casualtys_personal_data(
    client, states, vera, alpha, decision, comment, status
):
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED, name="Somphone Private", address="Ban X 4")
    client.force_login(vera)

    with recorded() as entries:
        client.post(
            reverse("research:decide", args=["casualty", record.pk]), {"decision": decision, "comment": comment}
        )

    entry = assert_one_entry(entries, by=vera, action=f"research.{decision}", target=record)
    assert entry.detail == {"comment": comment}
    assert "Somphone" not in entry_text(entry) and "Ban X" not in entry_text(entry)
    assert Casualty.objects.get(pk=record.pk).status == status


def test_rejecting_a_record_is_recorded_and_a_refused_decision_is_not(client, states, vera, alpha):
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    client.force_login(vera)

    with recorded() as entries:
        client.post(reverse("research:decide", args=["casualty", record.pk]), {"decision": "reject", "comment": "Dup"})
    with recorded() as again:
        client.post(reverse("research:decide", args=["casualty", record.pk]), {"decision": "approve"})

    assert_one_entry(entries, by=vera, action="research.reject", target=record)
    assert again == [], "only submitted records can be reviewed"


def test_a_bulk_approval_is_one_entry_per_record_approved(client, states, vera, alpha):
    submitted = CasualtyFactory.create_batch(2, organisation=alpha, status=Status.SUBMITTED)
    draft = CasualtyFactory(organisation=alpha, status=Status.DRAFT)
    client.force_login(vera)

    with recorded() as entries:
        client.post(reverse("research:bulk-approve"), {"kind": "casualty", "records": [submitted[0].pk, draft.pk]})
        client.post(reverse("research:bulk-approve"), {"kind": "casualty", "records": [submitted[1].pk]})

    assert [(entry.action, entry.actor, entry.object_id, entry.detail) for entry in entries] == [
        ("research.approve", vera, str(submitted[0].pk), {"bulk": True}),
        ("research.approve", vera, str(submitted[1].pk), {"bulk": True}),
    ]


def test_assigning_a_record_is_recorded_with_the_reviewer(client, states, vera, alpha):
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    client.force_login(vera)

    with recorded() as entries:
        client.post(reverse("research:assign", args=["casualty", record.pk]), {"reviewer": vera.pk})

    entry = assert_one_entry(entries, by=vera, action="research.assign", target=record)
    assert entry.detail == {"assigned_to": [None, "vera@example.org"]}


def test_an_import_from_the_staff_page_is_recorded_once_when_its_rows_are_kept(
    client, states, vera, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(vera)
    checked = SimpleUploadedFile("check.csv", CSV.encode(), content_type="text/csv")
    applied = SimpleUploadedFile("laos.csv", CSV.encode(), content_type="text/csv")

    with recorded() as dry_run, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("research:import"), {"file": checked})
        run_tasks()
    with recorded() as entries, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("research:import"), {"file": applied, "apply": "on", "approve": "on"})
        run_tasks()

    assert dry_run == []
    job = ImportJob.objects.get(original_name="laos.csv")
    entry = assert_one_entry(entries, by=vera, action="research.import", target=job)
    assert entry.detail == {
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "approved": True,
        "organisation": None,
        "source": "laos.csv",
    }
    assert Casualty.objects.filter(status=Status.APPROVED, import_job=job).count() == 2


def test_a_rejected_import_records_nothing(client, states, vera, run_tasks, django_capture_on_commit_callbacks):
    client.force_login(vera)
    upload = SimpleUploadedFile("bad.csv", b"state,date,killed\nLAO,2019-01-01,-3\n", content_type="text/csv")

    with recorded() as entries, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("research:import"), {"file": upload, "apply": "on"})
        run_tasks()

    assert ImportJob.objects.get().status == "rejected"
    assert entries == []


def test_giving_and_removing_access_to_an_organisations_research_in_the_admin_are_recorded(client, alice, alpha):
    person = UserFactory(email="newresearcher@example.org")
    client.force_login(alice)

    with recorded() as added:
        client.post("/admin/research/researcher/add/", {"user": person.pk, "organisation": alpha.pk})
    researcher = Researcher.objects.get(user=person)
    with recorded() as removed:
        client.post(f"/admin/research/researcher/{researcher.pk}/delete/", {"post": "yes"})

    entry = assert_one_entry(added, by=alice, action="researcher.add", target=researcher)
    assert entry.detail == {"user": [None, person.pk], "organisation": [None, alpha.pk]}
    assert_one_entry(removed, by=alice, action="researcher.remove", target=researcher)
    assert not Researcher.objects.exists()
