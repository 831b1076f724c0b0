"""Casualty files broken down by sex, age and status (as humanitarian datasets publish them on HDX), and rows
naming a record already kept by its identifier, which update it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from coalition.lib.imports import ImportRejected
from coalition.research.importing import spec
from coalition.research.models import Casualty, CasualtyTotal, RecordChange
from coalition.research.tests.import_files import (
    HDX,
    import_text,
    saved_records,
    state_of_everything,
    without_fast_path,
)

pytestmark = pytest.mark.django_db


def test_an_hdx_shaped_file_with_breakdown_columns_imports_and_again_changes_nothing(states):
    report = import_text(HDX, approve=True, default_source="hdx-casualties.csv")
    assert report.hxl and report.imported == 5 and report.error_count == 0

    aleppo = Casualty.objects.get(external_id="SYR-17")
    assert (aleppo.killed, aleppo.killed_deminers, aleppo.killed_female) == (2, 2, 0)
    kharkiv = Casualty.objects.get(external_id="UKR-0002")
    assert kharkiv.breakdown("killed") == {
        "female": 2, "male": 1, "children": 1, "adults": 2, "girls": 1, "boys": 0, "women": 0, "men": 0,
        "civilians": 3, "military": 0, "deminers": 0,
    }  # fmt: skip
    kok = Casualty.objects.get(external_id="LAO-2019-18")
    assert (kok.state_id, kok.injured, kok.injured_female, kok.injured_male, kok.injured_children) == (
        "LAO",
        4,
        3,
        1,
        4,
    )
    ukraine = CasualtyTotal.objects.get(state_id="UKR", year=2022)
    assert (ukraine.killed, ukraine.injured, ukraine.killed_children, ukraine.injured_civilians) == (64, 123, 6, 123)
    before = state_of_everything()

    again = import_text(HDX, approve=True, default_source="hdx-casualties.csv")

    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert state_of_everything() == before


def test_a_row_whose_identifier_is_known_updates_its_record_with_a_history_entry(states):
    import_text(HDX, approve=True, default_source="hdx-casualties.csv")
    record = Casualty.objects.get(external_id="SYR-17")
    corrected = HDX.replace(
        "SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,2,", "SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,3,"
    )

    report = import_text(corrected, approve=True, default_source="hdx-casualties.csv")

    assert (report.imported, report.updated, report.unchanged) == (0, 1, 4)
    record.refresh_from_db()
    assert (record.killed, record.killed_deminers, Casualty.objects.count()) == (3, 2, 5)
    change = RecordChange.objects.get(record_kind="casualty", record_id=record.pk)
    assert change.changes == {"killed": [2, 3]}
    assert CasualtyTotal.objects.get(state_id="SYR", year=2016).killed == 3


def test_an_identifier_given_twice_in_a_file_is_a_bad_row(states):
    text = HDX + "SYR-17,SYR,2016-10-06,Aleppo,Aleppo,36.2,37.15,1,0,,,,,,,,,,,,,,Monitor\n"
    report = spec.Report()
    with pytest.raises(ImportRejected):
        import_text(text, report=report)
    assert [(p.row, p.field) for p in report.errors] == [(8, "external_id")]
    assert "already the identifier of row 7" in str(report.errors[0])
    assert not Casualty.objects.exists()


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ("2,0,2,1,,,,,,,,,", "killed_female/killed_male", "female + male add up to 3, more than the 2 killed"),
        ("2,0,,,3,,,,,,,,", "killed_children/killed_adults", "children + adults add up to 3, more than the 2"),
        ("2,0,1,,,,2,,,,,,", "killed_female", "1 female, fewer than girls + women (2)"),
        ("0,1,,,,,,,,,,2,", "injured_civilians/injured_military/injured_deminers", "add up to 2, more than the 1"),
    ],
)
def test_a_breakdown_above_its_total_is_refused_naming_the_row_and_nothing_is_kept(states, cells, field, message):
    header = HDX.split("\n")[0]
    tags = ",".join(HDX.split("\n")[1].split(",")[:7] + HDX.split("\n")[1].split(",")[7:-1]) + ",#meta+source"
    text = f"{header}\n{tags}\nA-1,LAO,2019-01-01,Ban Nong,,16.5,106.1,1,0,,,,,,,,,,,,,,UXO Lao\n"
    text += f"A-2,LAO,2019-01-02,Ban Nong,,16.5,106.1,{cells},,,UXO Lao\n"
    for fast in (True, False):
        report = spec.Report()
        with pytest.MonkeyPatch.context() as patch:
            if not fast:
                without_fast_path(patch)
            with pytest.raises(ImportRejected):
                import_text(text, approve=True, report=report)
        assert [(p.row, p.field) for p in report.errors] == [(4, field)]
        assert message in str(report.errors[0])
        assert str(report.errors[0]).startswith("row 4, ")
        assert not Casualty.objects.exists() and not CasualtyTotal.objects.exists()


def test_the_fast_path_and_the_full_checks_agree_on_breakdown_columns(states, monkeypatch):
    lines = HDX.splitlines()
    tidy = lines[4].replace(",1,0,0,1,", ", 1 ,0,0,1,")  # spaces to tidy: the full path
    text = "\n".join([*lines[:4], tidy, *lines[5:]]) + "\n"
    outcomes = []
    for fast in (True, False):
        if not fast:
            without_fast_path(monkeypatch)
        report = import_text(text, approve=True, default_source="hdx")
        outcomes.append((report.imported, saved_records(), state_of_everything()[1]))
        Casualty.objects.all().delete()
        CasualtyTotal.objects.all().delete()
    assert outcomes[0] == outcomes[1] and outcomes[0][0] == 5


def test_a_csv_file_may_give_the_breakdowns_under_plain_headers(states):
    text = "state,date,killed,injured,killed_girls,killed_women,injured_men,injured_military\n"
    text += "LAO,2019-01-01,3,1,1,1,1,1\n"
    import_text(text)
    record = Casualty.objects.get()
    # A marginal count the file leaves out is at least its cells: 2 female (1 girl + 1 woman), 1 male (a man).
    assert (record.killed_female, record.killed_children, record.killed_adults) == (2, 1, 1)
    assert (record.injured_male, record.injured_adults, record.injured_military) == (1, 1, 1)


def test_a_file_cannot_mix_one_persons_description_with_breakdown_columns(states):
    with pytest.raises(ImportRejected) as caught:
        import_text("state,date,killed,sex,killed_female\nLAO,2019-01-01,1,female,1\n")
    assert "not both" in caught.value.errors[0]


def test_the_commands_dry_run_says_which_rows_would_update_and_which_change_nothing(states, tmp_path):
    path = tmp_path / "hdx.csv"
    path.write_text("id,state,date,killed,killed_f\nA-1,LAO,2019-01-01,2,1\nA-2,LAO,2019-01-02,1,0\n")
    call_command("import_casualties", str(path), "--approve", stdout=io.StringIO())
    path.write_text("id,state,date,killed,killed_f\nA-1,LAO,2019-01-01,2,2\nA-2,LAO,2019-01-02,1,0\n")

    out = io.StringIO()
    call_command("import_casualties", str(path), "--dry-run", "--source", str(tmp_path / "hdx.csv"), stdout=out)

    assert "2 rows checked, all good (1 updated, 1 unchanged, 0 warning(s)); nothing changed" in out.getvalue()
