"""The import's fast path restates the full checks for speed; for any file, both must accept and refuse the same
rows with the same messages and warnings (property-based: hypothesis draws files of valid and broken cells).
Files describing one person per row (sex, age group, status columns) never take the fast path, so the cells here
are counts and their breakdowns."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.research.importing import fast as fast_path
from coalition.research.importing import spec, writer
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, CasualtyTotal
from coalition.research.tests.import_files import CSV, MIXED, import_text, saved_records, without_fast_path

pytestmark = pytest.mark.django_db

CELLS = {
    "state": ["LAO", "lao", " SYR ", "LA", "XXX", "", "UKR"],
    "date": ["2019-03-02", " 2019-03-03 ", "2999-01-01", "1939-12-31", "2019-02-30", "", "03/02/2019"],
    "date_end": ["", "2019-03-09", "2019-01-01", "soon"],
    "latitude": ["", "16.5", "91", "nan", "-0", "48.7", "abc", "59.9"],
    "longitude": ["", "106.1", "181", "inf", "37.5", "10.7", "x"],
    "location_precision": ["", "exact", "Approximate", "bogus"],
    "killed": ["0", "1", " 4 ", "-1", "1500", "one", "", "99999999999"],
    "injured": ["0", "2", "", "1.5", "-3"],
    # Breakdowns (the fast path works them out per file): parts within, above and beside their totals.
    "killed_female": ["", "0", "1", "2", "x"],
    "killed_children": ["", "1", "5"],
    "killed_girls": ["", "0", "1"],
    "injured_civilians": ["", "0", "2", "3"],
    "injured_military": ["", "1", "-1"],
    "phase": ["remnant", "strike", "", "Remnant", "later"],
    "source": ["", "UXO Lao", "=HYPERLINK()"],
    "id": ["", "", "", "a1", "a2"],
}
COLUMNS = list(CELLS)

rows = st.lists(st.fixed_dictionaries({name: st.sampled_from(values) for name, values in CELLS.items()}), max_size=6)


def as_csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    table = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    table.writeheader()
    table.writerows(records)
    return out.getvalue()


def outcome(text: str) -> tuple[bool, int, list, list]:
    report = spec.Report()
    try:
        writer.casualties_import(handle=io.StringIO(text), dry_run=True, by=Actor.SYSTEM, report=report)
        accepted = True
    except ImportRejected:
        accepted = False
    return accepted, report.rows, [p.as_dict() for p in report.errors], [p.as_dict() for p in report.warnings]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=rows)
def test_the_fast_path_and_the_full_checks_accept_and_refuse_the_same_rows_with_the_same_messages(
    states, monkeypatch, records
):
    text = as_csv(records)

    fast = outcome(text)
    with monkeypatch.context() as patched:
        without_fast_path(patched)
        full = outcome(text)

    assert fast == full


def test_the_files_drawn_above_do_reach_the_fast_path(states, monkeypatch):
    """Else the property would compare the full checks with themselves."""
    taken = []
    real = fast_path.fast_rows

    def counting(*args, **kwargs):
        convert = real(*args, **kwargs)

        def converted(cells):
            row = convert(cells)
            if row is not None:
                taken.append(row)
            return row

        return converted

    monkeypatch.setattr(fast_path, "fast_rows", counting)
    plain = {
        **{name: values[0] for name, values in CELLS.items()},
        **{"killed": "1", "killed_female": "1", "killed_children": "1", "killed_girls": "1"},
    }

    assert outcome(as_csv([plain, {**plain, "killed": "one"}]))[0] is False
    assert len(taken) == 1, "the plain row took the fast path, the broken one the full checks"


@pytest.mark.parametrize("approve", [False, True])
def test_the_fast_path_and_the_full_checks_agree_on_every_row(states, monkeypatch, approve):
    lines = MIXED.splitlines()
    good = "\n".join(lines[0:7] + [lines[11], lines[15]])
    outcomes = []
    for fast in (True, False):
        if not fast:
            without_fast_path(monkeypatch)
        report = import_text(good + "\n", approve=approve)
        totals = CasualtyTotal.objects.values_list("state", "year", "killed", "injured", "records", *BREAKDOWN_FIELDS)
        outcomes.append((report.rows, report.imported, report.warnings, saved_records(), sorted(totals)))
        Casualty.objects.all().delete()
        CasualtyTotal.objects.all().delete()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == 7 and [w.row for w in outcomes[0][2]] == [5]
    monkeypatch.undo()

    rejected = []
    for fast in (True, False):
        if not fast:
            without_fast_path(monkeypatch)
        report = spec.Report()
        with pytest.raises(ImportRejected):
            import_text(MIXED, approve=approve, report=report)
        rejected.append((report.rows, report.errors, report.warnings))
        assert not Casualty.objects.exists()
    assert rejected[0] == rejected[1]
    assert {(p.row, p.field) for p in rejected[0][1]} == {
        (8, "latitude/longitude"),
        (9, "date_end"),
        (10, "killed/injured"),
        (11, "sex"),
        (13, "latitude/longitude"),
        (14, "latitude/longitude"),
        (15, "date"),
        (17, "killed/injured"),
    }


def test_a_dry_run_on_the_fast_path_creates_no_source(states):
    from coalition.research.models import Source

    before = Source.objects.count()
    writer.casualties_import(handle=io.StringIO(CSV), dry_run=True, by=Actor.SYSTEM)
    assert Source.objects.count() == before
