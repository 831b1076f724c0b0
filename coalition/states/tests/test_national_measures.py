"""Campaigners add and edit national measures; every change is kept with who and when."""

from __future__ import annotations

import pytest

from coalition.states.models import NationalMeasure, NationalMeasureChange
from coalition.states.tests.factories import NationalMeasureFactory, StateFactory
from coalition.states.tests.form_data import MEASURE

pytestmark = pytest.mark.django_db


def test_a_campaigner_adds_a_measure_and_it_shows_on_the_profile(client, carol):
    StateFactory(iso3="NOR")
    client.force_login(carol)
    response = client.post("/states/NOR/measures/new/", MEASURE)
    assert response.status_code == 302 and response["Location"] == "/states/NOR/"

    measure = NationalMeasure.objects.get()
    assert (measure.state_id, measure.munitions_destroyed) == ("NOR", 50000)
    change = measure.changes.get()
    assert change.created and change.changed_by == carol and change.changed_by_name == "Carol Campaigner"
    assert "Destruction of the national stockpile" in client.get("/states/NOR/").content.decode()


def test_an_edit_keeps_who_changed_what_and_when(client, carol, alice):
    measure = NationalMeasureFactory(state=StateFactory(iso3="NOR"), munitions_remaining=500, status="in_progress")
    client.force_login(carol)
    data = MEASURE | {
        "munitions_remaining": "0",
        "status": "completed",
        "completed": "2015-06-01",
        "title": measure.title,
    }
    assert client.post(f"/states/measures/{measure.pk}/edit/", data).status_code == 302

    measure.refresh_from_db()
    assert (measure.munitions_remaining, measure.status) == (0, "completed")
    change = measure.changes.first()
    assert change.changed_by == carol
    assert change.changes["munitions_remaining"] == ["500", "0"]
    assert change.changes["status"] == ["in_progress", "completed"]

    client.force_login(alice)
    page = client.get(f"/states/measures/{measure.pk}/edit/").content.decode()
    assert "History of changes" in page and "Carol Campaigner" in page and "500 → 0" in page


def test_saving_without_a_change_leaves_no_history(client, carol):
    measure = NationalMeasureFactory(state=StateFactory(iso3="NOR"))
    client.force_login(carol)
    data = {k: ("" if v is None else str(v)) for k, v in {name: getattr(measure, name) for name in MEASURE}.items()}
    client.post(f"/states/measures/{measure.pk}/edit/", data)
    assert NationalMeasureChange.objects.count() == 0


def test_a_bad_date_order_is_refused_with_a_message_and_nothing_changes(client, carol):
    StateFactory(iso3="NOR")
    client.force_login(carol)
    response = client.post("/states/NOR/measures/new/", MEASURE | {"completed": "2009-01-01"})
    assert response.status_code == 200
    assert "The completion date is before the start date." in response.content.decode()
    assert NationalMeasure.objects.count() == 0


def test_a_supporter_cannot_edit_measures_and_a_visitor_is_sent_to_log_in(client, sam):
    measure = NationalMeasureFactory(state=StateFactory(iso3="NOR"))
    response = client.post(f"/states/measures/{measure.pk}/edit/", MEASURE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(sam)
    assert client.post(f"/states/measures/{measure.pk}/edit/", MEASURE).status_code == 403
    assert client.get("/states/NOR/measures/new/").status_code == 403
    measure.refresh_from_db()
    assert measure.title != MEASURE["title"] and not measure.changes.exists()


def test_the_admin_keeps_the_same_history(client, alice):
    measure = NationalMeasureFactory(state=StateFactory(iso3="NOR"), munitions_remaining=10)
    client.force_login(alice)
    data = {k: v for k, v in MEASURE.items()} | {"state": "NOR", "munitions_remaining": "3", "title": measure.title}
    data |= {"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"}
    response = client.post(f"/admin/states/nationalmeasure/{measure.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert measure.changes.get().changes["munitions_remaining"] == ["10", "3"]
