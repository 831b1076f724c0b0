"""Submission → review → publication, access by organisation, and the history of every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.research.forms import PLACE_FIELDS as PLACE
from coalition.research.models import Casualty, Clearance, ContaminatedArea, RecordChange, Source, Status
from coalition.research.tests.factories import CasualtyFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _casualty_form(**overrides):
    """A casualty record as the researchers' form posts it, in Laos (made by the `states` fixture)."""
    data = {
        "killed": "1",
        "injured": "0",
        "killed_female": "1",
        "killed_girls": "1",
        "killed_children": "1",
        "killed_civilians": "1",
        "activity": "Collecting firewood",
        "phase": "remnant",
        "state": "LAO",
        "place_name": "Ban Phone",
        "admin_area": "Xekong",
        "latitude": "15.35",
        "longitude": "106.72",
        "location_precision": "approximate",
        "date": "2021-04-02",
        "new_source": "Alpha Aid field visit, April 2021",
        "name": "Noy Phimmasone",
        "address": "House 12, Ban Phone",
    }
    data.update(overrides)
    return data


def test_a_researcher_saves_a_draft_submits_it_and_it_counts_only_once_approved(client, states, rita, vera):
    client.force_login(rita)
    response = client.post(reverse("research:record-create", args=["casualty"]), _casualty_form())
    record = Casualty.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_workspace_url()
    assert record.status == Status.DRAFT and record.organisation.slug == "alpha-aid"

    client.post(reverse("research:record-submit", args=["casualty", record.pk]))
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED
    page = client.get(reverse("research:index"))
    assert page.context["figures"].casualties == 0

    client.force_login(vera)
    inbox = client.get(reverse("research:inbox"))
    assert record in inbox.context["page"].object_list
    client.post(reverse("research:decide", args=["casualty", record.pk]), {"decision": "approve"})
    record.refresh_from_db()
    assert record.status == Status.APPROVED

    client.logout()
    page = client.get(reverse("research:index"))
    assert page.context["figures"].killed == 1
    assert page.context["figures"].civilian_percent == 100


def test_a_form_rejects_a_future_date_a_date_before_1940_and_a_record_counting_nobody(client, states, rita):
    client.force_login(rita)
    response = client.post(
        reverse("research:record-create", args=["casualty"]),
        _casualty_form(date="2999-01-01", killed="0", injured="0"),
    )
    assert response.status_code == 400
    assert "is in the future" in str(response.context["form"].errors["date"])
    assert "killed" in response.context["form"].errors
    response = client.post(reverse("research:record-create", args=["casualty"]), _casualty_form(date="1939-12-31"))
    assert "is before 1940" in str(response.context["form"].errors["date"])
    response = client.post(reverse("research:record-create", args=["casualty"]), _casualty_form(killed="-2"))
    assert "killed" in response.context["form"].errors
    assert not Casualty.objects.exists()


def test_figures_beyond_any_real_count_are_form_errors(client, states, rita):
    client.force_login(rita)
    response = client.post(reverse("research:record-create", args=["casualty"]), _casualty_form(killed=str(10**23)))
    assert response.context["form"].errors["killed"] == ["Ensure this value is less than or equal to 1000000."]
    assert not Casualty.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # 10^23 m² cleared in a year once reached a server error (SQLite cannot store the number).
        ("clearance_text", f"2022: {10**23}", f"2022: {10**23}: {10**23} is more than 100000000000: please check it"),
        ("area_m2", str(10**23), "Ensure this value is less than or equal to 100000000000."),
    ],
)
def test_a_contaminated_area_beyond_any_real_size_is_a_form_error(client, states, rita, field, value, message):
    client.force_login(rita)
    data = {
        **{k: v for k, v in _casualty_form().items() if k in PLACE},
        "hazard_status": "confirmed",
        "area_m2": "25000",
        field: value,
    }
    response = client.post(reverse("research:record-create", args=["area"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not ContaminatedArea.objects.exists() and not Clearance.objects.exists()


def test_coordinates_outside_the_state_are_saved_with_a_warning(client, states, rita):
    client.force_login(rita)
    response = client.post(
        reverse("research:record-create", args=["casualty"]),
        _casualty_form(latitude="59.9", longitude="10.7"),
        follow=True,
    )
    assert Casualty.objects.count() == 1
    assert "outside" in response.content.decode()


def test_researchers_see_and_edit_only_their_own_organisations_unpublished_records(client, states, rita, otto, alpha):
    draft = CasualtyFactory(organisation=alpha, status=Status.DRAFT, name="Secret Person")
    client.force_login(otto)
    assert client.get(draft.get_workspace_url()).status_code == 404
    assert client.get(reverse("research:record-edit", args=["casualty", draft.pk])).status_code == 404
    assert draft not in client.get(reverse("research:workspace")).context["page"].object_list

    client.force_login(rita)
    response = client.get(draft.get_workspace_url())
    assert response.status_code == 200 and "Secret Person" in response.content.decode()
    assert draft in client.get(reverse("research:workspace")).context["page"].object_list


def test_a_submitted_record_is_locked_for_its_researchers_until_sent_back(client, states, rita, vera, alpha):
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    client.force_login(rita)
    assert client.get(reverse("research:record-edit", args=["casualty", record.pk])).status_code == 403

    client.force_login(vera)
    response = client.post(reverse("research:decide", args=["casualty", record.pk]), {"decision": "request_changes"})
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED, "asking for changes needs a comment"
    client.post(
        reverse("research:decide", args=["casualty", record.pk]),
        {"decision": "request_changes", "comment": "Which village exactly?"},
    )
    record.refresh_from_db()
    assert record.status == Status.CHANGES_REQUESTED
    assert response.status_code == 302

    client.force_login(rita)
    page = client.get(record.get_workspace_url())
    assert "Which village exactly?" in page.content.decode()
    assert client.get(reverse("research:record-edit", args=["casualty", record.pk])).status_code == 200


def test_every_change_is_kept_with_who_and_when_and_personal_values_stay_out_of_it(client, states, rita, vera, alpha):
    client.force_login(rita)
    client.post(reverse("research:record-create", args=["casualty"]), _casualty_form())
    record = Casualty.objects.get()
    source = Source.objects.get()
    form = _casualty_form(place_name="Ban Phone Neua", name="Another Name", source=source.pk, new_source="")
    client.post(reverse("research:record-edit", args=["casualty", record.pk]), form)
    client.post(reverse("research:record-submit", args=["casualty", record.pk]))
    client.force_login(vera)
    client.post(
        reverse("research:decide", args=["casualty", record.pk]), {"decision": "reject", "comment": "Duplicate"}
    )

    history = list(RecordChange.objects.filter(record_kind="casualty", record_id=record.pk).order_by("id"))
    assert [(change.action, change.by.email) for change in history] == [
        ("created", "rita@alpha.example.org"),
        ("edited", "rita@alpha.example.org"),
        ("submitted", "rita@alpha.example.org"),
        ("rejected", "vera@example.org"),
    ]
    assert all(change.at for change in history)
    assert history[1].changes["place_name"] == ["Ban Phone", "Ban Phone Neua"]
    assert "Another Name" not in str(history[1].changes) and "name" in history[1].changes
    page = client.get(record.get_workspace_url())
    assert "Ban Phone Neua" in page.content.decode() and "Duplicate" in page.content.decode()


def test_a_reviewer_approves_in_bulk_and_only_submitted_records_change(client, states, vera, alpha, refresh_totals):
    submitted = CasualtyFactory.create_batch(3, organisation=alpha, status=Status.SUBMITTED, killed=2)
    draft = CasualtyFactory(organisation=alpha, status=Status.DRAFT)
    client.force_login(vera)
    response = client.post(
        reverse("research:bulk-approve"), {"kind": "casualty", "records": [r.pk for r in [*submitted, draft]]}
    )
    assert response.status_code == 302
    assert Casualty.objects.filter(status=Status.APPROVED).count() == 3
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get(reverse("research:index")).context["figures"].killed == 6


def test_the_inbox_filters_by_state_and_assignment(client, states, vera, alpha):
    in_laos = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    in_syria = CasualtyFactory(
        organisation=alpha, status=Status.SUBMITTED, state=states["SYR"], latitude=35, longitude=38
    )
    client.force_login(vera)
    listed = client.get(reverse("research:inbox"), {"kind": "casualty", "state": "SYR"}).context["page"].object_list
    assert list(listed) == [in_syria]
    client.post(reverse("research:assign", args=["casualty", in_laos.pk]), {"reviewer": vera.pk})
    mine = client.get(reverse("research:inbox"), {"kind": "casualty", "mine": "on"}).context["page"].object_list
    assert list(mine) == [in_laos]
    in_laos.refresh_from_db()
    assert in_laos.assigned_to == vera


@pytest.mark.parametrize("reviewer", ["²", "9" * 30, "nobody"])
def test_assigning_a_record_to_someone_not_on_the_list_changes_nothing_and_says_why(
    client, states, vera, alpha, reviewer
):
    # "²" passed the old str.isdigit() check and reached a server error.
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED, assigned_to=vera)
    client.force_login(vera)
    response = client.post(
        reverse("research:assign", args=["casualty", record.pk]), {"reviewer": reviewer}, follow=True
    )
    assert "Choose someone from the list." in response.content.decode()
    record.refresh_from_db()
    assert record.assigned_to == vera


def test_bulk_approval_ignores_ticked_values_that_are_not_record_ids(client, states, vera, alpha):
    submitted = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    client.force_login(vera)
    response = client.post(
        reverse("research:bulk-approve"), {"kind": "casualty", "records": ["²", "9" * 30, str(submitted.pk)]}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


def test_only_reviewers_reach_the_inbox(client, states, rita, carol):
    for user in (rita, carol):
        client.force_login(user)
        assert client.get(reverse("research:inbox")).status_code == 403


def test_a_researcher_cannot_review_their_own_submission(client, states, rita, alpha):
    record = CasualtyFactory(organisation=alpha, status=Status.SUBMITTED)
    client.force_login(rita)
    assert (
        client.post(reverse("research:decide", args=["casualty", record.pk]), {"decision": "approve"}).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED


def test_sources_are_required(client, states, rita):
    SourceFactory()
    client.force_login(rita)
    response = client.post(reverse("research:record-create", args=["casualty"]), _casualty_form(new_source=""))
    assert "source" in response.context["form"].errors
