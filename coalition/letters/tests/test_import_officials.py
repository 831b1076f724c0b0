"""`manage.py import_officials FILE`: CSV or Popolo JSON, every bad row reported, re-imports update in place."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

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


# --- EveryPolitician-style Popolo: no posts, legislative periods, OCD division ids -----------------------

DATA = Path(__file__).parent / "data"
STORTING = DATA / "everypolitician-storting.json"


def run_file(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_officials", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict[str, object]:
    """What a re-import must leave alone: people, positions, and every term with its dates and holder."""
    return {
        "people": sorted(Person.objects.values_list("key", "name", "wikidata")),
        "positions": sorted(Position.objects.values_list("pk", "key", "title", "current_term_id")),
        "terms": sorted(
            Term.objects.values_list("pk", "position__key", "person__key", "started_on", "ended_on", "party")
        ),
    }


def test_an_everypolitician_file_without_posts_imports_one_position_per_seat(tmp_path):
    out, _err = run_file(STORTING)

    assert "Read 12 row(s); checking…" in out, "progress"
    assert "create 5 and update 0 position(s); open 12" in out
    oslo = Position.objects.filter(constituency="Oslo").order_by("key")
    assert [p.title for p in oslo] == [
        "Member of Storting for Oslo",
        "Member of Storting for Oslo (seat 2)",
        "Member of Storting for Oslo (seat 3)",
    ]
    assert {p.state_id for p in Position.objects.all()} == {"NOR"}, "from ocd-division/country:no"
    assert {p.role for p in Position.objects.all()} == {"member_of_parliament"}
    assert sorted(p.holder_name for p in oslo) == ["Astrid Berg", "Bjørn Dahl", "Hilde Jensen"]
    # Dates come from the legislative period when the membership has none of its own.
    astrid = Term.objects.filter(person__name="Astrid Berg").order_by("started_on")
    assert [(str(t.started_on), str(t.ended_on)) for t in astrid] == [
        ("2017-10-01", "2021-09-30"),
        ("2021-10-01", "None"),
    ]
    assert astrid[0].position == astrid[1].position, "re-elected, she keeps her seat"
    cecilie = Term.objects.get(person__name="Cecilie Eng")
    assert (str(cecilie.started_on), str(cecilie.ended_on)) == ("2021-10-01", "2023-03-01")
    assert cecilie.position.holder_name == "Hilde Jensen", "her successor sits in her seat"
    # A period with no end date ends the day before the next one begins.
    eirik = Term.objects.filter(person__name="Eirik Gran").order_by("started_on")
    assert [(str(t.started_on), str(t.ended_on)) for t in eirik] == [
        ("2015-07-01", "2017-09-30"),
        ("2017-10-01", "2021-09-30"),
        ("2021-10-01", "None"),
    ]
    assert eirik[2].position.holder_name == "Eirik Gran"
    assert eirik[2].email == "eirik.gran@storting.example"
    # The party is kept on the term; a change of party within a period is two terms on the same seat.
    gunnar = Term.objects.filter(person__name="Gunnar Iversen").order_by("started_on")
    assert [(t.party, str(t.ended_on)) for t in gunnar] == [("Labour Party", "2022-05-31"), ("Green Party", "None")]
    assert Person.objects.get(name="Astrid Berg").wikidata == "Q90000001"
    assert Person.objects.get(name="Astrid Berg").identifiers == {
        "everypolitician_legacy": "astrid-berg",
        "wikidata": "Q90000001",
    }


def test_placeholder_persons_and_unusable_addresses_are_reported_and_skipped(tmp_path):
    out, _err = run_file(STORTING)

    assert "skipped 1 membership(s) of person 'non-partisan' (Non-partisan)" in out
    assert not Person.objects.filter(name="Non-partisan").exists()
    assert Person.objects.count() == 8
    assert "(Frida Holm): e-mail 'frida.holm@storting' is not an address; left out" in out
    assert Term.objects.get(person__name="Frida Holm").email == ""
    assert Term.objects.get(person__name="Dag Fossum").email == "dag.fossum@storting.example", "the first of a list"


def test_importing_an_everypolitician_file_again_changes_nothing(tmp_path):
    run_file(STORTING)
    before = snapshot()

    dry, _err = run_file(STORTING, "--dry-run")
    again, _err = run_file(STORTING)

    assert "Dry run: no changes" in dry
    assert "Done: no changes" in again
    assert snapshot() == before
    assert Term.objects.count() == 12 and Term.objects.filter(ended_on__isnull=True).count() == 5


def test_the_order_of_the_memberships_does_not_change_the_result(tmp_path):
    data = json.loads(STORTING.read_text())
    run_file(STORTING)
    before = snapshot()
    data["memberships"].reverse()
    shuffled = tmp_path / "reversed.json"
    shuffled.write_text(json.dumps(data))

    out, _err = run_file(shuffled)

    assert "no changes" in out
    assert snapshot() == before


def test_the_same_memberships_in_any_order_give_the_same_seats_and_terms_on_a_fresh_import(tmp_path):
    def by_content() -> list[tuple[object, ...]]:
        return sorted(
            Term.objects.values_list(
                "position__key", "position__title", "person__key", "started_on", "ended_on", "party"
            )
        )

    run_file(STORTING)
    expected = by_content()
    Position.objects.all().delete()
    Person.objects.all().delete()
    data = json.loads(STORTING.read_text())
    data["memberships"].reverse()
    data["persons"].reverse()
    shuffled = tmp_path / "reversed.json"
    shuffled.write_text(json.dumps(data))

    run_file(shuffled)

    assert by_content() == expected


def test_a_later_file_that_renames_a_person_updates_the_same_person_by_wikidata(tmp_path):
    run_file(STORTING)
    astrid = Person.objects.get(wikidata="Q90000001")
    terms = sorted(astrid.terms.values_list("pk", flat=True))
    data = json.loads(STORTING.read_text())
    for person in data["persons"]:
        if person["id"] == "5c1e0f7a-0001":
            person["name"] = "Astrid Berg Solheim"
            person["id"] = "new-uuid-from-a-later-file"
    for membership in data["memberships"]:
        if membership["person_id"] == "5c1e0f7a-0001":
            membership["person_id"] = "new-uuid-from-a-later-file"
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data))

    out, _err = run_file(later)

    assert "open 0, update 0 and close 0 term(s); add 0 and update 1 person(s)" in out
    astrid.refresh_from_db()
    assert astrid.name == "Astrid Berg Solheim"
    assert sorted(astrid.terms.values_list("pk", flat=True)) == terms
    assert Person.objects.count() == 8
    assert Position.objects.get(current_term__person=astrid).holder_name == "Astrid Berg Solheim"


def test_a_new_legislative_period_closes_the_terms_of_members_who_left(tmp_path):
    run_file(STORTING)
    data = json.loads(STORTING.read_text())
    data["events"][1]["end_date"] = "2025-09-30"
    data["events"].append(
        {
            "classification": "legislative period",
            "id": "term/4",
            "organization_id": "legislature",
            "start_date": "2025-10-01",
        }
    )
    oslo = "ocd-division/country:no/constituency:oslo"
    data["memberships"] += [
        {
            "area_id": oslo,
            "legislative_period_id": "term/4",
            "on_behalf_of_id": "party/labour",
            "organization_id": "legislature",
            "person_id": pid,
            "role": "member",
        }
        for pid in ("5c1e0f7a-0001", "5c1e0f7a-0004", "5c1e0f7a-0008")
    ]
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data))

    out, _err = run_file(later)

    assert "create 0 and update 0 position(s)" in out
    astrid_terms = Term.objects.filter(person__name="Astrid Berg").order_by("started_on")
    assert len({t.position_id for t in astrid_terms}) == 1, "she keeps her seat"
    bjorn = Term.objects.filter(person__name="Bjørn Dahl").get()
    assert str(bjorn.ended_on) == "2025-09-30"
    oslo_holders = sorted(
        Position.objects.filter(constituency="Oslo").values_list("current_term__person__name", flat=True)
    )
    assert oslo_holders == ["Astrid Berg", "Dag Fossum", "Hilde Jensen"]
    again, _err = run_file(later)
    assert "no changes" in again


def test_areas_that_are_not_ocd_divisions_need_the_state_given(tmp_path):
    text = STORTING.read_text().replace("ocd-division/country:no/constituency:", "area/")
    path = tmp_path / "no-ocd.json"
    path.write_text(text)

    with pytest.raises(CommandError, match="Nothing imported"):
        out, err = run_file(path)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_officials", str(path), stdout=out, stderr=err)
    assert "give the state with --state ISO3" in err.getvalue()
    assert Position.objects.count() == 0

    out_text, _err = run_file(path, "--state", "NOR")
    assert "create 5" in out_text
    assert set(Position.objects.values_list("state_id", flat=True)) == {"NOR"}


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('{"persons": [', (), "JSON: "),
        ("{}", ("--state", "XYZ"), "--state: unknown ISO 3166 alpha-3 code 'XYZ'"),
        (
            '{"posts": [], "persons": [{"id": "p", "name": "P"}], "memberships": [{"person_id": "p", '
            '"organization_id": "legislature", "area_id": "ocd-division/country:zz/constituency:x"}]}',
            (),
            "country 'zz' is not among the states",
        ),
    ],
)
def test_bad_popolo_input_gets_a_clear_message_and_changes_nothing(tmp_path, content, args, message):
    run_file(STORTING)
    before = snapshot()
    path = tmp_path / "bad.json"
    path.write_text(content)
    err = StringIO()

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_officials", str(path), *args, stdout=StringIO(), stderr=err)

    assert message in err.getvalue()
    assert snapshot() == before


def test_an_unreadable_file_gets_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_file(tmp_path / "missing.json")
    undecodable = tmp_path / "latin1.csv"
    undecodable.write_bytes(HEADER.encode() + "nor-mfa,NOR,,Ministre,,p1,Hélène,,,,,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="Cannot read"):
        run_file(undecodable)
    assert Position.objects.count() == 0


# --- Term matching, whatever the order of the rows (CSV) -----------------------------------------------


def test_an_earlier_ended_term_listed_after_the_open_one_does_not_overwrite_it(tmp_path):
    text = (
        HEADER
        + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,2023-10-16,,,\n"
        + "nor-mfa,NOR,foreign_minister,Minister,,p2,Huitfeldt,ah@mfa.example,2021-10-14,2023-10-15,,\n"
        + "nor-mfa,NOR,foreign_minister,Minister,,p1,Eide,eide@mfa.example,2017-01-01,2017-10-20,,\n"
    )
    run(tmp_path, text)
    before = snapshot()

    dry, _err = run(tmp_path, text, "--dry-run")
    out, _err = run(tmp_path, text)
    shuffled_lines = text.splitlines(keepends=True)
    out_shuffled, _err = run(tmp_path, shuffled_lines[0] + "".join(reversed(shuffled_lines[1:])))

    assert "Dry run: no changes" in dry
    assert "no changes" in out and "no changes" in out_shuffled
    assert snapshot() == before
    minister = Position.objects.get(key="nor-mfa")
    assert minister.holder_name == "Eide"
    assert str(minister.current_term.started_on) == "2023-10-16"
    assert Term.objects.count() == 3 and Term.objects.filter(ended_on__isnull=True).count() == 1


def test_a_csv_can_name_the_wikidata_item_and_the_party(tmp_path):
    header = "position_id,state,role,title,person_id,person_name,wikidata,party,start_date\n"
    run(tmp_path, header + "nor-mfa,NOR,foreign_minister,Minister,p1,Eide,Q90000010,Labour Party,2023-10-16\n")
    out, _err = run(
        tmp_path,
        header + "nor-mfa,NOR,foreign_minister,Minister,other-id,Espen Barth Eide,Q90000010,Labour Party,2023-10-16\n",
    )

    assert "add 0 and update 1 person(s)" in out
    assert Person.objects.get().name == "Espen Barth Eide"
    assert Term.objects.get().party == "Labour Party"
