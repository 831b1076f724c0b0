"""Loading the shipped reference data: counts from SOURCES.md, the history behind each status, bad rows."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from coalition.lib.imports import ImportRejected
from coalition.states import imports
from coalition.states.models import Meeting, NationalMeasure, ReferenceRelease, State, StateFact, TreatyEvent

HEADER = "iso3,name,status,signed,ratified_or_acceded,method,entry_into_force\n"


def read(text: str, **kwargs):
    return imports.read_states(HEADER + text, as_of=date(2025, 9, 5), default_source="test", **kwargs)


def test_loading_gives_the_counts_of_sources_md(reference):
    assert State.objects.count() == 197
    assert State.objects.filter(status="state_party").count() == 112
    assert State.objects.filter(status="signatory").count() == 12
    assert State.objects.filter(status="non_signatory").count() == 73
    assert Meeting.objects.count() == 21


def test_the_facts_file_loads_each_fact_with_its_source_and_stockpile_destructions_as_measures(reference):
    assert StateFact.objects.exclude(kind=StateFact.Kind.AFFECTED).count() == 167
    norway = StateFact.objects.get(state="NOR", kind=StateFact.Kind.STOCKPILER)
    assert norway.value == StateFact.Value.FORMER
    assert "Monitor" in norway.source and "the-monitor.org/en-gb/reports/2022/norway" in norway.source
    assert norway.as_of == date(2015, 8, 10) and norway.as_of_label == ""
    undated = StateFact.objects.get(state="USA", kind=StateFact.Kind.PRODUCER, value="yes")
    assert (undated.as_of, undated.as_of_label) == (date(2015, 7, 1), "undated (after 2015-07)")
    measure = NationalMeasure.objects.get(state="AUT")
    assert (measure.status, measure.completed, measure.completed_year_only) == ("completed", date(2010, 12, 31), True)
    assert (measure.munitions_destroyed, measure.submunitions_destroyed) == (12672, 798336)
    assert NationalMeasure.objects.filter(kind="stockpile_destruction").count() == 34


def test_a_bad_facts_row_is_named_by_row_and_field():
    text = (
        "iso3,fact,value,as_of,source_title,source_url,note\n"
        "XXX,producer_past,yes,2015,t,,\nNOR,stockpile_destroyed,soon,2015,t,,\nNOR,user_since_1945,yes,undated,t,,\n"
    )
    with pytest.raises(ImportRejected) as error:
        imports.read_state_facts(text)
    assert error.value.errors == [
        "cm_state_facts.csv row 2, iso3: unknown ISO 3166 alpha-3 code 'XXX'",
        "cm_state_facts.csv row 3, value: 'soon' is not the year the destruction was completed",
        "cm_state_facts.csv row 4, as_of: 'undated' holds no year (YYYY, YYYY-MM or YYYY-MM-DD)",
    ]


def test_a_second_load_changes_nothing(reference):
    counts = (
        TreatyEvent.objects.count(),
        StateFact.objects.count(),
        Meeting.objects.count(),
        NationalMeasure.objects.count(),
    )
    releases = ReferenceRelease.objects.count()
    call_command("load_reference_data", stdout=(out := StringIO()))
    assert "already up to date" in out.getvalue()
    assert (
        TreatyEvent.objects.count(),
        StateFact.objects.count(),
        Meeting.objects.count(),
        NationalMeasure.objects.count(),
    ) == counts
    assert ReferenceRelease.objects.count() == releases == 1


def test_norway_is_a_state_party_with_dates_derived_from_its_events(reference):
    norway = State.objects.get(iso3="NOR")
    assert norway.status == "state_party"
    assert (norway.signed, norway.ratified, norway.method) == (date(2008, 12, 3), date(2008, 12, 3), "ratification")
    assert norway.entry_into_force == date(2010, 8, 1)
    kinds = list(norway.events.values_list("kind", flat=True))
    assert kinds == ["signature", "ratification", "entry_into_force"]


def test_lithuanias_withdrawal_is_an_event_and_leaves_it_a_non_signatory(reference):
    lithuania = State.objects.get(iso3="LTU")
    assert lithuania.status == "non_signatory"
    assert lithuania.withdrawn == date(2025, 3, 6)
    event = lithuania.events.get()
    assert event.kind == "withdrawal_effective" and "news-pravda" in event.source


def test_entry_into_force_computed_by_article_17_is_marked_derived(reference):
    assert TreatyEvent.objects.filter(kind="entry_into_force", derived=True).count() == 61
    belize = State.objects.get(iso3="BLZ")
    assert belize.entry_into_force == date(2015, 3, 1) and belize.entry_into_force_derived
    assert not State.objects.get(iso3="NOR").entry_into_force_derived


def test_a_missing_entry_into_force_is_derived_and_marked():
    [state] = read("PER,Peru,state_party,2008-12-03,2012-09-26,ratification,\n")
    eif = [e for e in state.events if e.kind == "entry_into_force"]
    assert [(e.date, e.derived) for e in eif] == [(date(2013, 3, 1), True)]


def test_it_rejects_every_bad_row_naming_the_row_and_the_field():
    text = (
        "NOR,Norway,state_party,2008-12-03,2008-12-03,ratification,2010-08-01\n"
        "XYZ,Nowhere,signatory,2008-12-03,,,\n"
        "FRA,France,signatory,2008-05-30,,,\n"
        "DEU,Germany,state_party,,2009-07-08,ratification,2010-08-01\n"
        "ESP,Spain,state_party,2008-12-03,2009-06-17,ratification,2011-01-01\n"
        "ITA,Italy,signatory,2008-12-03,2011-09-21,ratification,2012-03-01\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        read(text)
    assert rejected.value.errors == [
        "ccm_states.csv row 3, iso3: unknown ISO 3166 alpha-3 code 'XYZ'",
        "ccm_states.csv row 4, signed: 2008-05-30 is before the treaty opened for signature (2008-12-03)",
        "ccm_states.csv row 5, signed: a ratification needs a signature date; only an accession comes without one",
        "ccm_states.csv row 6, entry_into_force: 2011-01-01 differs from the Article 17 date 2010-08-01",
        "ccm_states.csv row 7, status: says signatory but the dated events give state_party",
    ]


def test_an_accession_needs_no_signature():
    [state] = read("AND,Andorra,state_party,,2013-04-09,accession,2013-10-01\n")
    assert [e.kind for e in state.events] == ["accession", "entry_into_force"]


def test_a_bad_reference_file_loads_nothing(db, tmp_path, monkeypatch):
    for name in (
        "ccm_states.csv",
        "ccm_withdrawals.csv",
        "ccm_meetings.csv",
        "cm_contamination.csv",
        "state_regions.csv",
        "ccm_state_sources.csv",
        "cm_state_facts.csv",
    ):
        (tmp_path / name).write_text((imports.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    states = (tmp_path / "ccm_states.csv").read_text(encoding="utf-8")
    (tmp_path / "ccm_states.csv").write_text(
        states.replace("NOR,Norway,state_party,2008-12-03", "NOR,Norway,state_party,2007-12-03")
    )
    monkeypatch.setattr(imports, "DATA_DIR", tmp_path)

    with pytest.raises(Exception, match="row 132, signed: 2007-12-03 is before the treaty opened"):
        call_command("load_reference_data", stdout=StringIO())
    assert State.objects.count() == 0 and Meeting.objects.count() == 0


def test_the_update_command_shows_changes_and_writes_nothing_without_apply(reference, tmp_path):
    newer = tmp_path / "ccm_states.csv"
    shipped = (imports.DATA_DIR / "ccm_states.csv").read_text(encoding="utf-8")
    newer.write_text(
        shipped.replace(
            "AGO,Angola,signatory,2008-12-03,,,", "AGO,Angola,state_party,2008-12-03,2026-01-15,ratification,"
        )
    )

    call_command("update_state_reference", str(newer), "--as-of", "2026-02-01", stdout=(out := StringIO()))
    assert "AGO: new event ratification 2026-01-15" in out.getvalue()
    assert "AGO: new event entry_into_force 2026-07-01 (derived)" in out.getvalue()
    assert "run again with --apply" in out.getvalue()
    assert State.objects.get(iso3="AGO").status == "signatory"

    call_command("update_state_reference", str(newer), "--as-of", "2026-02-01", "--apply", stdout=StringIO())
    angola = State.objects.get(iso3="AGO")
    assert (angola.status, angola.ratified, angola.entry_into_force) == (
        "state_party",
        date(2026, 1, 15),
        date(2026, 7, 1),
    )
    assert ReferenceRelease.objects.latest().as_of == date(2026, 2, 1)


def test_a_changed_date_supersedes_the_old_event_and_keeps_it(reference, tmp_path):
    newer = tmp_path / "ccm_states.csv"
    shipped = (imports.DATA_DIR / "ccm_states.csv").read_text(encoding="utf-8")
    newer.write_text(shipped.replace("AGO,Angola,signatory,2008-12-03", "AGO,Angola,signatory,2008-12-04"))

    call_command("update_state_reference", str(newer), "--as-of", "2025-10-01", "--apply", stdout=(out := StringIO()))
    assert "AGO: signature 2008-12-03 → signature 2008-12-04 (the old date is kept as history)" in out.getvalue()
    old, new = TreatyEvent.objects.filter(state_id="AGO", kind="signature").order_by("id")
    assert old.superseded_by == new and old.date == date(2008, 12, 3)
    assert State.objects.get(iso3="AGO").signed == date(2008, 12, 4)

    call_command("update_state_reference", str(newer), "--as-of", "2025-10-01", "--apply", stdout=(again := StringIO()))
    assert "Already up to date" in again.getvalue()


def test_the_update_command_rejects_a_bad_file_and_changes_nothing(reference, tmp_path):
    newer = tmp_path / "ccm_states.csv"
    newer.write_text(HEADER + "QQQ,Atlantis,signatory,2009-01-01,,,\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 bad row"):
        call_command(
            "update_state_reference",
            str(newer),
            "--as-of",
            "2026-01-01",
            "--apply",
            stdout=StringIO(),
            stderr=(err := StringIO()),
        )
    assert "row 2, iso3: unknown ISO 3166 alpha-3 code 'QQQ'" in err.getvalue()
    assert State.objects.count() == 197
