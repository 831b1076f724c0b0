"""Staff lists with filters and CSV export; CSV import of organisations with a dry run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from coalition.members.models import Organisation, OrganisationStatusChange
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "name,type,country,city,website,joined_on,founding_member,steering_committee,contact_email\n"
    "Handicap Example,ngo,FR,Lyon,https://hi.example.org,2004-05-01,no,yes,info@hi.example.org\n"
    "Church Example,faith,IRL,Dublin,,,yes,no,\n"
)
BAD_CSV = (
    "name,type,country,website,joined_on,contact_email\n"
    "Good Row,ngo,NO,,,\n"
    ",ngo,NO,,,\n"
    "Bad Country,ngo,Atlantis,,,\n"
    "Bad Everything,club,NO,notaurl,31/12/2020,nope\n"
)


def test_staff_filter_the_organisations_and_download_them_as_csv(client, carol):
    OrganisationFactory(name="Alpha Aid", country="NO")
    OrganisationFactory(name="Applicant Org", status="applicant", country="NO")
    OrganisationFactory(name="Beta Relief", country="LB")
    client.force_login(carol)

    html = client.get("/members/staff/organisations/?status=applicant").text
    assert "Applicant Org" in html and "Alpha Aid" not in html

    response = client.get("/members/staff/organisations/?country=NO&format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("slug,name,type,country")
    assert len(lines) == 3 and "Beta Relief" not in body


def test_staff_filter_the_supporters_and_download_them_as_csv_with_their_addresses(client, carol):
    org = OrganisationFactory(slug="alpha-aid")
    SupporterFactory(email="lina@example.org", country="LB", referred_by=org)
    SupporterFactory(email="pierre@example.org", country="FR")
    client.force_login(carol)

    html = client.get("/members/staff/supporters/?country=LB").text
    assert "lina@example.org" in html and "pierre@example.org" not in html

    body = b"".join(client.get("/members/staff/supporters/?referred_by=alpha-aid&format=csv").streaming_content)
    assert b"lina@example.org" in body and b"pierre@example.org" not in body


def test_supporter_lists_are_for_staff_only(client, sam, edna):
    for user in (sam, edna):
        client.force_login(user)
        assert client.get("/members/staff/supporters/").status_code == 403
        assert client.get("/members/staff/supporters/?format=csv").status_code == 403
        assert client.get("/members/staff/organisations/").status_code == 403


def test_the_staff_supporter_list_runs_a_fixed_number_of_queries(client, carol, django_assert_max_num_queries):
    SupporterFactory.create_batch(60, referred_by=OrganisationFactory())
    client.force_login(carol)

    with django_assert_max_num_queries(8):
        client.get("/members/staff/supporters/")


def test_an_import_is_checked_first_and_changes_nothing_until_confirmed(client, carol):
    client.force_login(carol)

    check = client.post(
        "/members/staff/organisations/import/", {"file": SimpleUploadedFile("orgs.csv", GOOD_CSV.encode())}
    )

    assert "Confirming will create 2 and update 0 organisations." in check.text
    assert not Organisation.objects.exists()
    text = check.context["confirm_form"].initial["csv_text"]

    done = client.post("/members/staff/organisations/import/", {"csv_text": text, "confirm": "True"})

    assert done.status_code == 302
    handicap = Organisation.objects.get(slug="handicap-example")
    assert handicap.status == "member" and handicap.country.code == "FR"
    assert handicap.seats.count() == 1
    church = Organisation.objects.get(slug="church-example")
    assert church.country.code == "IE" and church.founding_member and church.joined_on is None
    assert OrganisationStatusChange.objects.filter(organisation=church, changed_by=carol).exists()


def test_an_import_with_bad_rows_reports_every_one_and_imports_nothing(client, carol):
    client.force_login(carol)

    response = client.post(
        "/members/staff/organisations/import/", {"file": SimpleUploadedFile("orgs.csv", BAD_CSV.encode())}
    )

    assert response.status_code == 400
    errors = response.context["errors"]
    assert "row 3, name: required" in errors
    assert any(e.startswith("row 4, country:") for e in errors)
    for column in ("type", "website", "joined_on", "contact_email"):
        assert any(e.startswith(f"row 5, {column}:") for e in errors), column
    assert not Organisation.objects.exists()


def test_importing_the_same_file_again_updates_instead_of_duplicating(db):
    call_command("import_organisations", _file(GOOD_CSV), stdout=StringIO())
    out = StringIO()
    call_command("import_organisations", _file(GOOD_CSV), stdout=out)

    assert Organisation.objects.count() == 2
    assert "created 0, updated 2" in out.getvalue()
    assert Organisation.objects.get(slug="handicap-example").seats.count() == 1


def test_the_import_command_dry_run_reports_and_changes_nothing(db):
    out = StringIO()
    call_command("import_organisations", _file(GOOD_CSV), "--dry-run", stdout=out)

    assert "would create 2" in out.getvalue()
    assert not Organisation.objects.exists()


def test_the_import_command_lists_every_bad_row(db):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_organisations", _file(BAD_CSV), stderr=err, stdout=StringIO())

    assert "row 3, name: required" in err.getvalue() and "row 5, website" in err.getvalue()
    assert not Organisation.objects.exists()


def test_the_import_page_needs_the_permission(client, edna):
    client.force_login(edna)

    assert (
        client.post("/members/staff/organisations/import/", {"csv_text": GOOD_CSV, "confirm": "True"}).status_code
        == 403
    )
    assert not Organisation.objects.exclude(slug="alpha-aid").exists()


_tmp_files: list[str] = []


def _file(text: str) -> str:
    import tempfile

    handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    handle.write(text)
    handle.close()
    return handle.name


def test_a_name_typed_as_a_formula_is_exported_as_text(client, carol):
    SupporterFactory(name='=HYPERLINK("http://evil.example")')
    client.force_login(carol)

    body = b"".join(client.get("/members/staff/supporters/?format=csv").streaming_content).decode("utf-8-sig")

    assert "'=HYPERLINK" in body


def test_an_import_with_over_long_fields_names_each_row_and_field_and_imports_nothing(client, carol):
    client.force_login(carol)
    long_csv = (
        "name,city,languages,website\n"
        f"{'N' * 201},Oslo,,\n"
        f"Fine Name,{'C' * 121},{'L' * 201},https://{'w' * 200}.example.org\n"
    )

    response = client.post(
        "/members/staff/organisations/import/", {"file": SimpleUploadedFile("orgs.csv", long_csv.encode())}
    )

    assert response.status_code == 400
    errors = response.context["errors"]
    assert "row 2, name: 201 characters, at most 200" in errors
    assert "row 3, city: 121 characters, at most 120" in errors
    assert "row 3, languages: 201 characters, at most 200" in errors
    assert any(e.startswith("row 3, website:") for e in errors)
    assert "row 2, name: 201 characters, at most 200" in response.text
    assert not Organisation.objects.exists()


def test_an_import_with_a_name_on_two_lines_or_a_nul_names_the_row_and_imports_nothing(client, carol):
    # The same rules as the forms: a NUL would fail on PostgreSQL, a name on two lines breaks e-mail headers.
    client.force_login(carol)
    text = (
        'name,city,description\n"Alpha\nAid",Oslo,\nBeta\x00 Relief,Beirut,\nGamma,Tromsø,"Two\nlines are fine here"\n'
    )

    response = client.post(
        "/members/staff/organisations/import/", {"file": SimpleUploadedFile("orgs.csv", text.encode())}
    )

    assert response.status_code == 400
    assert response.context["errors"] == [
        "row 2, name: Write this on one line, without line breaks.",
        "row 3, name: This holds a NUL character, which cannot be stored.",
    ]
    assert not Organisation.objects.exists()


def test_a_file_with_a_cell_too_large_for_csv_is_refused_with_the_reason(client, carol):
    # Python's CSV reader stops at 128 KB per cell: that once reached a server error.
    client.force_login(carol)
    text = "name,description\nAlpha Aid," + "x" * 200_000 + "\n"

    response = client.post(
        "/members/staff/organisations/import/", {"file": SimpleUploadedFile("orgs.csv", text.encode())}
    )

    assert response.status_code == 400
    assert response.context["errors"][0].startswith("the file cannot be read as CSV: field larger than field limit")
    assert not Organisation.objects.exists()
