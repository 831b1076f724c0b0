"""Changes to the campaign's record of states leave one audit entry each: national measures (staff pages and
admin) and treaty events corrected in the admin (decision 0011)."""

from __future__ import annotations

import pytest

from coalition.core.models import AuditEntry
from coalition.core.tests.audit_trail import admin_change_data, assert_one_entry, recorded
from coalition.states.models import NationalMeasure, State
from coalition.states.tests.factories import NationalMeasureFactory, StateFactory
from coalition.states.tests.form_data import MEASURE

pytestmark = pytest.mark.django_db


def test_adding_and_editing_a_measure_on_the_staff_pages_are_recorded(client, carol):
    StateFactory(iso3="NOR")
    client.force_login(carol)

    with recorded() as added:
        client.post("/states/NOR/measures/new/", MEASURE)
    measure = NationalMeasure.objects.get()
    with recorded() as edited:
        client.post(f"/states/measures/{measure.pk}/edit/", MEASURE | {"munitions_remaining": "0"})
    with recorded() as unchanged:
        client.post(f"/states/measures/{measure.pk}/edit/", MEASURE | {"munitions_remaining": "0"})

    entry = assert_one_entry(added, by=carol, action="measure.create", target=measure)
    assert entry.detail["state"] == "NOR" and entry.detail["fields"]["munitions_remaining"] == [None, "2000"]
    entry = assert_one_entry(edited, by=carol, action="measure.update", target=measure)
    assert entry.detail == {"fields": {"munitions_remaining": ["2000", "0"]}}
    assert unchanged == []


def test_editing_a_measure_in_the_admin_is_recorded_once(client, alice):
    measure = NationalMeasureFactory(state=StateFactory(iso3="NOR"), munitions_remaining=10)
    client.force_login(alice)
    data = MEASURE | {"state": "NOR", "munitions_remaining": "3", "title": measure.title}
    data |= {"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"}

    with recorded() as entries:
        client.post(f"/admin/states/nationalmeasure/{measure.pk}/change/", data)

    entry = assert_one_entry(entries, by=alice, action="measure.update", target=measure)
    assert entry.detail["fields"]["munitions_remaining"] == ["10", "3"]


def test_correcting_treaty_events_in_the_admin_is_recorded_with_the_status_they_give(client, carol):
    state = StateFactory(iso3="NOR", name="Norway")
    client.force_login(carol)
    url = f"/admin/states/state/{state.pk}/change/"
    data = admin_change_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS") and key.startswith("events"))[
        : -len("-TOTAL_FORMS")
    ]
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-kind": "signature",
        f"{prefix}-0-date": "2008-12-03",
        f"{prefix}-0-source": "UNODA",
        f"{prefix}-0-title": "",
        f"{prefix}-0-note": "",
    }

    with recorded() as entries:
        response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    entry = assert_one_entry(entries, by=carol, action="state.change", target=state)
    assert entry.object_label == "NOR Norway"
    assert entry.detail["status"] == ["non_signatory", "signatory"]
    assert entry.detail["treatyevent"] == {"added": ["NOR signature 2008-12-03"]}
    assert State.objects.get(pk="NOR").status == "signatory"


def test_saving_a_state_in_the_admin_without_a_change_records_nothing(client, carol):
    state = StateFactory(iso3="NOR", name="Norway")
    client.force_login(carol)
    url = f"/admin/states/state/{state.pk}/change/"

    with recorded() as entries:
        response = client.post(url, admin_change_data(client.get(url)))

    assert response.status_code == 302
    assert entries == []
    assert not AuditEntry.objects.filter(action="state.change").exists()
