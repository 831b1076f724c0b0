"""`import_casualties` and the staff import page: CSV and HXL, every bad row named, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.research.importing import spec, writer
from coalition.research.models import Casualty, CasualtyTotal, ImportJob, Status
from coalition.research.tests.import_files import CSV, HXL, import_text

pytestmark = pytest.mark.django_db


def test_a_csv_file_is_imported_awaiting_review(states):
    report = import_text(CSV)
    assert report.imported == 3 and not report.hxl
    assert Casualty.objects.filter(status=Status.SUBMITTED).count() == 3
    first = Casualty.objects.get(place_name="Ban Nong")
    assert first.name == "Somchai K." and first.year == 2019 and first.source.title == "UXO Lao 2019"
    assert not CasualtyTotal.objects.exists(), "nothing counts publicly before review"


def test_an_hxl_file_is_imported_by_its_tags_and_approved_rows_count_at_once(states):
    report = import_text(HXL, approve=True)
    assert report.hxl and report.imported == 2
    ukraine = CasualtyTotal.objects.filter(state_id="UKR")
    assert sum(t.killed for t in ukraine) == 5 and sum(t.injured for t in ukraine) == 10


def test_hxl_tags_may_come_first_in_any_attribute_order_and_case(states):
    text = "#country+code,#DATE +occurred,#affected+injured,#affected+killed\nUKR,2022-04-08,2,1\n"
    assert import_text(text).imported == 1


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
        import_text(text)
    assert "unknown HXL tag #affected+kiled" in caught.value.errors[0]
    assert "row 2, Killed" in caught.value.errors[0]


def test_an_import_that_fails_halfway_leaves_nothing(states):
    good = "".join(f"LAO,2019-01-{day % 28 + 1:02d},1,0\n" for day in range(writer.BATCH * 2 + 10))
    text = "state,date,killed,injured\n" + good + "LAO,2019-01-01,-5,0\n"
    with pytest.raises(ImportRejected):
        import_text(text, approve=True)
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
