"""`manage.py import_officials FILE`: CSV or Popolo JSON, every bad row reported, re-imports update in place."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.letters.models import Person, Position, Term
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "position_id,state,role,title,constituency,person_id,person_name,email,start_date,end_date,source,verified_on\n"
)


@pytest.fixture(autouse=True)
def states(db):
    StateFactory(iso3="NOR", name="Norway")
    StateFactory(iso3="USA", name="United States of America")


def run(tmp_path, text: str, *args: str, name: str = "officials.csv") -> tuple[str, str]:
    path = tmp_path / name
    path.write_text(text)
    out, err = StringIO(), StringIO()
    call_command("import_officials", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_csv_import_creates_positions_held_by_people_for_dated_terms(tmp_path):
    out, _err = run(
        tmp_path,
        HEADER + "nor-mfa,NOR,foreign_minister,Minister of Foreign Affairs of Norway,,p1,Espen Barth Eide,"
        "Post@MFA.example,2023-10-16,,https://regjeringen.example,2025-01-10\n"
        "usa-geneva,USA,permanent_representative,US Ambassador to the Conference on Disarmament,,,,,,,,\n",
    )

    assert "create 2" in out
    minister = Position.objects.get(key="nor-mfa")
    assert minister.state_id == "NOR"
    assert minister.holder_name == "Espen Barth Eide"
    assert minister.email == "post@mfa.example"
    assert str(minister.current_term.started_on) == "2023-10-16"
    assert Position.objects.get(key="usa-geneva").is_vacant


def test_a_dry_run_reports_every_bad_and_duplicate_row_and_changes_nothing(tmp_path):
    text = (
        HEADER
        + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,2023-10-16,,,\n"
        + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,2023-10-16,,,\n"
        + "x1,XXX,foreign_minister,Minister,,p2,Someone,someone@x.example,,,,\n"
        + "x2,NOR,king,Minister,,p3,Someone,not-an-address,16/10/2023,,,\n"
        + ",NOR,foreign_minister,,,,,,,,,\n"
    )
    with pytest.raises(CommandError, match="Nothing imported: 7 problem"):
        run(tmp_path, text, "--dry-run")

    assert Position.objects.count() == 0

    with pytest.raises(CommandError):
        run(tmp_path, text)
    assert Position.objects.count() == 0 and Person.objects.count() == 0


def test_the_dry_run_of_a_good_file_says_what_would_change_and_changes_nothing(tmp_path):
    out, _err = run(
        tmp_path, HEADER + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,,,,\n", "--dry-run"
    )

    assert "Dry run: would create 1" in out
    assert Position.objects.count() == 0


def test_a_change_of_government_is_one_re_import_that_closes_the_old_term(tmp_path):
    run(tmp_path, HEADER + "nor-mfa,NOR,foreign_minister,Minister,,p1,Old Minister,old@mfa.example,2021-10-14,,,\n")
    position_pk = Position.objects.get().pk

    out, _err = run(
        tmp_path, HEADER + "nor-mfa,NOR,foreign_minister,Minister,,p2,New Minister,new@mfa.example,2023-10-16,,,\n"
    )

    position = Position.objects.get()
    assert position.pk == position_pk, "updated in place"
    assert position.holder_name == "New Minister"
    assert position.email == "new@mfa.example"
    old = Term.objects.get(person__name="Old Minister")
    assert old.ended_on is not None
    assert "close 1" in out


def test_re_importing_the_same_file_changes_nothing(tmp_path):
    text = HEADER + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,2023-10-16,,,2025-01-01\n"
    run(tmp_path, text)
    out, _err = run(tmp_path, text)
    assert "create 0 and update 0 position(s); open 0, update 0 and close 0 term(s)" in out


def test_popolo_json_is_imported_with_posts_persons_and_memberships(tmp_path):
    popolo = {
        "persons": [
            {
                "id": "p1",
                "name": "Espen Barth Eide",
                "contact_details": [{"type": "email", "value": "eide@mfa.example"}],
            }
        ],
        "organizations": [{"id": "mfa", "name": "Ministry of Foreign Affairs", "area_id": "NOR"}],
        "posts": [
            {
                "id": "nor-mfa",
                "label": "Minister of Foreign Affairs",
                "role": "Foreign minister",
                "organization_id": "mfa",
            },
            {"id": "nor-def", "label": "Minister of Defence", "role": "defence_minister", "organization_id": "mfa"},
        ],
        "memberships": [
            {
                "person_id": "p1",
                "post_id": "nor-mfa",
                "start_date": "2023-10-16",
                "sources": [{"url": "https://x.example"}],
            }
        ],
    }
    out, _err = run(tmp_path, json.dumps(popolo), name="officials.json")

    assert "create 2" in out
    minister = Position.objects.get(key="nor-mfa")
    assert minister.role == "foreign_minister"
    assert minister.holder_name == "Espen Barth Eide"
    assert minister.current_term.source == "https://x.example"
    assert Position.objects.get(key="nor-def").is_vacant


def test_popolo_memberships_naming_unknown_posts_or_people_are_reported(tmp_path):
    popolo = {"persons": [], "posts": [], "memberships": [{"person_id": "p9", "post_id": "nowhere"}]}
    with pytest.raises(CommandError):
        run(tmp_path, json.dumps(popolo), "--dry-run", name="officials.json")
