"""`import_casualties` and the staff import page: CSV and HXL, every bad row named, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.research.importing import fast as fast_path
from coalition.research.importing import spec, writer
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, CasualtyTotal, ImportJob, RecordChange, Status

pytestmark = pytest.mark.django_db

CSV = """state,date,place,latitude,longitude,killed,injured,civilian_status,sex,age_group,activity,phase,source,name
LAO,2019-03-02,Ban Nong,16.5,106.1,1,0,civilian,male,child,Herding,remnant,UXO Lao 2019,Somchai K.
LAO,2019-07-11,Ban Kok,15.9,106.4,0,2,civilian,female,adult,Farming,remnant,UXO Lao 2019,
SYR,2016-10-05,Aleppo,36.2,37.15,3,5,unknown,unknown,unknown,,strike,SNHR,
"""
HXL = """Country,Date,Place,Lat,Lon,Killed,Injured,Status,Sex,Age,Source
#country+code,#date+occurred,#loc+name,#geo+lat,#geo+lon,#affected+killed,#affected+injured,#affected+type,#affected+sex,#affected+age,#meta+source
UKR,2022-04-08,Kramatorsk,48.72,37.56,4,10,civilian,unknown,unknown,HRMMU
UKR,2022-05-01,Kharkiv,49.99,36.23,1,0,civilian,female,adult,HRMMU
"""


def _import(text: str, **options):
    return writer.casualties_import(handle=io.StringIO(text), **{"dry_run": False, "by": Actor.SYSTEM, **options})


def test_a_csv_file_is_imported_awaiting_review(states):
    report = _import(CSV)
    assert report.imported == 3 and not report.hxl
    assert Casualty.objects.filter(status=Status.SUBMITTED).count() == 3
    first = Casualty.objects.get(place_name="Ban Nong")
    assert first.name == "Somchai K." and first.year == 2019 and first.source.title == "UXO Lao 2019"
    assert not CasualtyTotal.objects.exists(), "nothing counts publicly before review"


def test_an_hxl_file_is_imported_by_its_tags_and_approved_rows_count_at_once(states):
    report = _import(HXL, approve=True)
    assert report.hxl and report.imported == 2
    ukraine = CasualtyTotal.objects.filter(state_id="UKR")
    assert sum(t.killed for t in ukraine) == 5 and sum(t.injured for t in ukraine) == 10


def test_hxl_tags_may_come_first_in_any_attribute_order_and_case(states):
    text = "#country+code,#DATE +occurred,#affected+injured,#affected+killed\nUKR,2022-04-08,2,1\n"
    assert _import(text).imported == 1


def test_a_dry_run_reports_every_bad_row_with_its_row_and_field_and_changes_nothing(states):
    text = (
        "state,date,killed,injured,latitude,longitude\n"
        "LAO,2999-01-01,1,0,,\n"  # row 2: future
        "LAO,1939-06-01,1,0,,\n"  # row 3: before 1940
        "LAO,2019-01-01,-1,0,,\n"  # row 4: negative
        "XXX,2019-01-01,1,0,,\n"  # row 5: unknown state
        "LAO,2019-01-01,1,0,59.9,10.7\n"  # row 6: outside Laos: only a warning
        "LAO,2019-01-01,one,0,,\n"  # row 7: not a number
    )
    report = spec.Report()
    with pytest.raises(ImportRejected):
        writer.casualties_import(handle=io.StringIO(text), dry_run=True, report=report, by=Actor.SYSTEM)
    problems = {(p.row, p.field) for p in report.errors}
    assert problems == {(2, "date"), (3, "date"), (4, "killed"), (5, "state"), (7, "killed")}
    assert [(w.row, w.field) for w in report.warnings] == [(6, "latitude/longitude")]
    assert "in the future" in str(report.errors[0]) and "row 2" in str(report.errors[0])
    assert not Casualty.objects.exists()


def test_a_count_beyond_any_real_figure_is_a_bad_row(states):
    # 10^23 killed would not even fit the database's column: the row is refused with the reason.
    report = spec.Report()
    with pytest.raises(ImportRejected):
        writer.casualties_import(
            handle=io.StringIO(f"state,date,killed,injured\nLAO,2019-01-01,{10**23},0\n"),
            dry_run=False,
            report=report,
            by=Actor.SYSTEM,
        )
    assert [(p.row, p.field) for p in report.errors] == [(2, "killed")]
    assert "is more than 1000000" in str(report.errors[0])
    assert not Casualty.objects.exists()


def test_a_wrong_hxl_tag_is_rejected_naming_the_column(states):
    text = "Country,Date,Killed\n#country+code,#date+occurred,#affected+kiled\nUKR,2022-04-08,1\n"
    with pytest.raises(ImportRejected) as caught:
        _import(text)
    assert "unknown HXL tag #affected+kiled" in caught.value.errors[0]
    assert "row 2, Killed" in caught.value.errors[0]


def test_an_import_that_fails_halfway_leaves_nothing(states):
    good = "".join(f"LAO,2019-01-{day % 28 + 1:02d},1,0\n" for day in range(writer.BATCH * 2 + 10))
    text = "state,date,killed,injured\n" + good + "LAO,2019-01-01,-5,0\n"
    with pytest.raises(ImportRejected):
        _import(text, approve=True)
    assert Casualty.objects.count() == 0
    assert CasualtyTotal.objects.count() == 0


def test_the_command_shows_progress_and_a_summary(states, tmp_path):
    path = tmp_path / "casualties.csv"
    path.write_text(CSV)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_casualties", str(path), "--approve", stdout=out, stderr=err)
    assert "3/3 rows" in out.getvalue() and "imported 3 casualty records" in out.getvalue()
    assert Casualty.objects.filter(status=Status.APPROVED).count() == 3
    assert ImportJob.objects.get().imported == 3


def test_the_commands_dry_run_prints_every_bad_row_and_imports_nothing(states, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("state,date,killed\nLAO,2999-01-01,1\nZZZ,2019-01-01,1\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_casualties", str(path), "--dry-run", stdout=out, stderr=err)
    assert "row 2, date" in err.getvalue() and "row 3, state" in err.getvalue()
    assert not Casualty.objects.exists()


def test_staff_import_a_file_from_the_staff_pages_as_a_task_and_see_the_result(
    client, states, vera, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(vera)
    upload = SimpleUploadedFile("laos.hxl.csv", HXL.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("research:import"), {"file": upload, "apply": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("research:import-job", args=[job.pk])
    run_tasks()
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 2
    page = client.get(reverse("research:import-job", args=[job.pk]))
    assert "2 records imported" in page.content.decode()
    assert Casualty.objects.filter(status=Status.SUBMITTED, import_job=job).count() == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("state,date,killed\nLAO,2019-01-01,1\nLAO,Hué,1\n".encode("latin-1"), "can't decode byte 0xe9"),
        (("state,date,killed\nLAO,2019-01-01," + "1" * 200_000 + "\n").encode(), "field larger than field limit"),
    ],
)
def test_a_file_that_is_not_a_readable_utf8_csv_is_rejected_with_the_reason(
    client, states, vera, run_tasks, django_capture_on_commit_callbacks, content, reason
):
    # The task once failed on such a file, and the job showed "running" for ever.
    client.force_login(vera)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("research:import"), {"file": SimpleUploadedFile("export.csv", content), "apply": "on"})
    run_tasks()
    job = ImportJob.objects.get()
    assert job.status == "rejected" and job.error_count == 1
    assert job.errors[0]["message"].startswith("the file cannot be read as UTF-8 CSV")
    assert reason in job.errors[0]["message"]
    assert not Casualty.objects.exists()


def test_a_rejected_staff_import_lists_the_bad_rows(
    client, states, vera, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(vera)
    upload = SimpleUploadedFile("bad.csv", b"state,date,killed\nLAO,2019-01-01,-3\n", content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("research:import"), {"file": upload, "apply": "on"})
    run_tasks()
    job = ImportJob.objects.get()
    assert job.status == "rejected" and job.error_count == 1
    page = client.get(reverse("research:import-job", args=[job.pk])).content.decode()
    assert "cannot be negative" in page
    assert not Casualty.objects.exists()


def test_researchers_cannot_use_the_staff_import(client, states, rita):
    client.force_login(rita)
    assert client.get(reverse("research:import")).status_code == 403


# Rows the fast path takes and rows it must leave to the full checks: each gives the same records, problems and
# warnings either way.
MIXED = (
    "state,date,date_end,place,admin_area,latitude,longitude,location_precision,killed,injured,"
    "civilian_status,sex,age_group,activity,phase,source,id,name,address\n"
    + """\
LAO,2019-03-02,,Ban Nong,Savannakhet,16.5,106.1,,1,0,civilian,male,child,Herding,remnant,UXO Lao,a1,Somchai K.,Nong 4
lao, 2019-03-03 ,2019-03-09,  Ban Kok ,,16.6,106.2,Exact,0,2,Civilian,FEMALE,adult,,Remnant,,a2,,
LA,2019-03-04,,Ban Kok,,,,exact,1500,0,unknown,unknown,unknown,,,Other source,,,
SYR,2016-10-05,,Aleppo,,59.9,10.7,,3,5,unknown,unknown,unknown,,strike,SNHR,,,
UKR,2022-04-08,,Kramatorsk,,,,approximate, 4 ,10,civilian,unknown,unknown,,,HRMMU,,,
,,,,,,,,,,,,,,,,,,
UKR,2022-04-09,,Kramatorsk,,48.7,,approximate,4,10,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-10,2022-04-01,Kramatorsk,,,,,4,10,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-11,,Kramatorsk,,,,,0,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-12,,Kramatorsk,,,,,1,0,civilian,nobody,unknown,,,HRMMU,,,
UKR,2022-04-13,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,extra cell
UKR,2022-04-14,,Kramatorsk,,91,10,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-14,,Kramatorsk,,nan,nan,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,1939-12-31,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-15,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-16,,Kramatorsk
"""
)


def _records():
    fields = [
        f.attname
        for f in Casualty._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at", "submitted_at", "reviewed_at"}
    ]
    fields.remove("import_job_id")
    return sorted((tuple(map(str, row)) for row in Casualty.objects.values_list(*fields)), key=str)


@pytest.mark.parametrize("approve", [False, True])
def test_the_fast_path_and_the_full_checks_agree_on_every_row(states, monkeypatch, approve):
    lines = MIXED.splitlines()
    good = "\n".join(lines[0:7] + [lines[11], lines[15]])
    outcomes = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(fast_path, "fast_rows", lambda *args, **kwargs: lambda cells: None)
        report = _import(good + "\n", approve=approve)
        totals = CasualtyTotal.objects.values_list("state", "year", "killed", "injured", "records", *BREAKDOWN_FIELDS)
        outcomes.append((report.rows, report.imported, report.warnings, _records(), sorted(totals)))
        Casualty.objects.all().delete()
        CasualtyTotal.objects.all().delete()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == 7 and [w.row for w in outcomes[0][2]] == [5]
    monkeypatch.undo()

    rejected = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(fast_path, "fast_rows", lambda *args, **kwargs: lambda cells: None)
        report = spec.Report()
        with pytest.raises(ImportRejected):
            _import(MIXED, approve=approve, report=report)
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


class Killed(BaseException):
    """The process dying: not an Exception, so nothing on the way out catches it."""


def die_after_import(monkeypatch) -> None:
    """The import runs to its commit, then the process dies before anything after it."""
    real = writer.casualties_import

    def import_then_die(**kwargs):
        real(**kwargs)
        raise Killed

    monkeypatch.setattr(writer, "casualties_import", import_then_die)


def staff_job(text: str) -> ImportJob:
    """A staff page's import of `text`, queued as the page leaves it for the worker."""
    from django.core.files.base import ContentFile

    job = ImportJob(original_name="laos.csv", dry_run=False, approve=True)
    job.file.save("laos.csv", ContentFile(text.encode()))
    return job


def test_a_worker_killed_right_after_the_commit_does_not_import_the_file_again(states, monkeypatch):
    # The import's rows and its job's "done" must commit together. If the job still said "running" once the rows
    # were in, the heartbeat would requeue the task of the dead worker and the file would be imported twice
    # (found by bench/bench_import_crash.py: a SIGKILL during the commit).
    job = staff_job(CSV)
    die_after_import(monkeypatch)
    with pytest.raises(Killed):
        writer.casualties_import_job(job_id=job.pk)
    monkeypatch.undo()

    writer.casualties_import_job(job_id=job.pk)  # the task, requeued after the worker stopped beating

    assert Casualty.objects.count() == 3
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 3 and job.finished_at is not None


def test_the_commands_job_says_done_in_the_transaction_that_keeps_its_rows(states, tmp_path, monkeypatch):
    path = tmp_path / "casualties.csv"
    path.write_text(CSV)
    die_after_import(monkeypatch)
    with pytest.raises(Killed):
        call_command("import_casualties", str(path), "--approve", stdout=io.StringIO(), stderr=io.StringIO())
    job = ImportJob.objects.get()
    assert (job.status, job.imported, job.rows_done) == ("done", 3, 3)
    assert Casualty.objects.filter(import_job=job).count() == 3


# As humanitarian datasets publish casualty figures on HDX: a header row of the source's own names, then the HXL
# hashtag row, then data; counts broken down by sex, age, both, and status in separate columns (attributes in any
# order, `+num` as some add it), identifiers in #meta+id, empty cells where a breakdown is unknown.
HDX = """\
Incident ID,Country,Date,Location,Admin 1,Latitude,Longitude,Killed,Injured,Killed (female),Killed (male),\
Killed (children),Killed (adults),Killed girls,Killed boys,Injured (female),Injured (male),Injured (children),\
Injured civilians,Killed civilians,Killed military,Killed deminers,Source
#meta+id,#country+code,#date+occurred,#loc+name,#adm1+name,#geo+lat,#geo+lon,#affected+killed+num,\
#affected+injured,#affected+killed+f,#affected+killed+m,#affected+killed+children,#affected+killed+adults,\
#affected+killed+f+children,#affected+children+killed+m,#affected+injured+f,#affected+injured+m,\
#affected+injured+children,#affected+injured+civilians,#affected+killed+civilians,#affected+killed+military,\
#affected+killed+deminers,#meta+source
UKR-0001,UKR,2022-04-08,Kramatorsk,Donetsk,48.72,37.56,61,121,,,5,,,,,,,121,61,,,HRMMU
UKR-0002,UKR,2022-05-01,Kharkiv,Kharkiv,49.99,36.23,3,2,2,1,1,2,1,0,1,1,2,2,3,0,0,HRMMU
LAO-2019-17,LAO,2019-03-02,Ban Nong,Savannakhet,16.5,106.1,1,0,0,1,1,0,0,1,,,,,1,,,UXO Lao
LAO-2019-18,LA,2019-07-11,Ban Kok,Savannakhet,15.9,106.4,0,4,,,,,,,3,1,4,4,,,,UXO Lao
SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,2,0,,,,,,,,,,,,,2,Monitor
"""


def _state_of_everything():
    fields = [f.attname for f in Casualty._meta.concrete_fields if f.attname not in {"import_job_id"}]
    records = sorted(Casualty.objects.values_list(*fields))
    totals = sorted(CasualtyTotal.objects.values_list("state_id", "year", "killed", "injured", *BREAKDOWN_FIELDS))
    return records, totals, RecordChange.objects.count()


def test_an_hdx_shaped_file_with_breakdown_columns_imports_and_again_changes_nothing(states):
    report = _import(HDX, approve=True, default_source="hdx-casualties.csv")
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
    before = _state_of_everything()

    again = _import(HDX, approve=True, default_source="hdx-casualties.csv")

    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert _state_of_everything() == before


def test_a_row_whose_identifier_is_known_updates_its_record_with_a_history_entry(states):
    _import(HDX, approve=True, default_source="hdx-casualties.csv")
    record = Casualty.objects.get(external_id="SYR-17")
    corrected = HDX.replace(
        "SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,2,", "SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,3,"
    )

    report = _import(corrected, approve=True, default_source="hdx-casualties.csv")

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
        _import(text, report=report)
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
                patch.setattr(fast_path, "fast_rows", lambda *args, **kwargs: lambda cells: None)
            with pytest.raises(ImportRejected):
                _import(text, approve=True, report=report)
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
            monkeypatch.setattr(fast_path, "fast_rows", lambda *args, **kwargs: lambda cells: None)
        report = _import(text, approve=True, default_source="hdx")
        outcomes.append((report.imported, _records(), _state_of_everything()[1]))
        Casualty.objects.all().delete()
        CasualtyTotal.objects.all().delete()
    assert outcomes[0] == outcomes[1] and outcomes[0][0] == 5


def test_a_csv_file_may_give_the_breakdowns_under_plain_headers(states):
    text = "state,date,killed,injured,killed_girls,killed_women,injured_men,injured_military\n"
    text += "LAO,2019-01-01,3,1,1,1,1,1\n"
    _import(text)
    record = Casualty.objects.get()
    # A marginal count the file leaves out is at least its cells: 2 female (1 girl + 1 woman), 1 male (a man).
    assert (record.killed_female, record.killed_children, record.killed_adults) == (2, 1, 1)
    assert (record.injured_male, record.injured_adults, record.injured_military) == (1, 1, 1)


def test_a_file_cannot_mix_one_persons_description_with_breakdown_columns(states):
    with pytest.raises(ImportRejected) as caught:
        _import("state,date,killed,sex,killed_female\nLAO,2019-01-01,1,female,1\n")
    assert "not both" in caught.value.errors[0]


def test_the_commands_dry_run_says_which_rows_would_update_and_which_change_nothing(states, tmp_path):
    path = tmp_path / "hdx.csv"
    path.write_text("id,state,date,killed,killed_f\nA-1,LAO,2019-01-01,2,1\nA-2,LAO,2019-01-02,1,0\n")
    call_command("import_casualties", str(path), "--approve", stdout=io.StringIO())
    path.write_text("id,state,date,killed,killed_f\nA-1,LAO,2019-01-01,2,2\nA-2,LAO,2019-01-02,1,0\n")

    out = io.StringIO()
    call_command("import_casualties", str(path), "--dry-run", "--source", str(tmp_path / "hdx.csv"), stdout=out)

    assert "2 rows checked, all good (1 updated, 1 unchanged, 0 warning(s)); nothing changed" in out.getvalue()
