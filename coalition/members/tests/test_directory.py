"""The public directory, an organisation's page, the home page panel: what visitors see, at fixed query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coalition.lib.tests.pages import assert_filters
from coalition.members.models import Organisation
from coalition.members.tests.factories import OrganisationFactory, SeatFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def _many(n: int) -> None:
    countries = ["NO", "LB", "FR", "CA", "KH", "LA", "CO"]
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {i:04d}", slug=f"org-{i:04d}", country=countries[i % len(countries)], status="member")
        for i in range(n)
    )
    SupporterFactory.create_batch(3)


def test_the_directory_lists_members_but_not_applicants_suspended_or_former_members(client):
    OrganisationFactory(name="Member Org")
    for status in ["applicant", "suspended", "left"]:
        OrganisationFactory(name=f"{status.title()} Org", status=status)

    response = client.get("/members/")

    assert response.status_code == 200
    assert "Member Org" in response.text
    for name in ["Applicant Org", "Suspended Org", "Left Org"]:
        assert name not in response.text


def test_the_directory_searches_by_name_and_filters_by_country_type_and_committee(client):
    OrganisationFactory(name="Norwegian Helpers", country="NO", type="ngo")
    OrganisationFactory(name="Lebanese Physicians", country="LB", type="professional")
    SeatFactory(organisation=OrganisationFactory(name="Committee Church", country="IE", type="faith"))

    shown_and_hidden = {
        "q=norweg": ("Norwegian Helpers", "Lebanese Physicians"),
        "country=LB": ("Lebanese Physicians", "Norwegian Helpers"),
        "type=faith": ("Committee Church", "Lebanese Physicians"),
        "committee=on": ("Committee Church", "Norwegian Helpers"),
    }
    assert_filters(client, "/members/", shown_and_hidden)


def test_a_past_steering_committee_seat_does_not_count_as_a_seat_today(client):
    SeatFactory(organisation=OrganisationFactory(name="Former Seat Holder"), ended_on="2010-01-01")

    assert "Former Seat Holder" not in client.get("/members/?committee=on").text


def test_the_directory_is_paginated(client):
    _many(30)

    first = client.get("/members/")
    second = client.get("/members/?page=2")

    assert "Org 0000" in first.text and "Org 0024" not in first.text
    assert "Org 0024" in second.text
    assert "Page 2 of 2" in second.text


def test_the_map_is_inline_svg_with_one_circle_per_country_and_needs_no_internet(client):
    OrganisationFactory.create_batch(3, country="NO")
    OrganisationFactory(country="LB")

    html = client.get("/members/").text

    assert "<svg" in html
    assert html.count('class="world-map__marker"') == 2
    assert "Norway: 3 members" in html and "Lebanon: 1 member" in html
    assert 'href="?country=NO"' in html
    assert "https://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_an_organisation_page_shows_its_public_profile(client):
    organisation = OrganisationFactory(
        name="Mines Action Example", website="https://mae.example.org", contact_email="info@mae.example.org"
    )
    SeatFactory(organisation=organisation)

    response = client.get(reverse("members:detail", args=[organisation.slug]))

    assert response.status_code == 200
    assert "Mines Action Example" in response.text
    assert "info@mae.example.org" in response.text  # the organisation's own public address
    assert "Steering Committee" in response.text


def test_an_applicant_has_no_public_page(client):
    applicant = OrganisationFactory(status="applicant")

    assert client.get(reverse("members:detail", args=[applicant.slug])).status_code == 404


def test_the_home_page_computes_organisations_and_countries_and_lists_the_steering_committee(client):
    OrganisationFactory.create_batch(2, country="NO")
    SeatFactory(organisation=OrganisationFactory(name="Seat Holder", country="LB"))
    OrganisationFactory(status="applicant", country="FR")  # not counted

    html = client.get("/").text

    assert "3 organisations from 2 countries" in html
    assert "Seat Holder" in html


def test_a_coalition_in_one_country_reads_in_the_singular(client):
    OrganisationFactory(country="NO")

    assert "1 organisation from 1 country<" in client.get("/").text


def test_the_reference_data_shows_on_the_directory_and_home_page(client):
    from coalition.members import reference_data

    reference_data.load(log=lambda message: None)

    assert "Mines Action Canada" in client.get("/members/").text
    assert "11 organisations from 9 countries" in client.get("/").text


@pytest.mark.parametrize("volume", [10, 500])
def test_the_public_pages_run_a_fixed_number_of_queries_whatever_the_volume(client, volume, django_assert_num_queries):
    _many(volume)
    for organisation in Organisation.objects.all()[:5]:
        SeatFactory(organisation=organisation)
    slug = Organisation.objects.order_by("pk").first().slug

    with django_assert_num_queries(3):  # count, page, members by country (map and filter)
        client.get("/members/?country=NO")
    with django_assert_num_queries(2):  # organisation, its seats
        client.get(f"/members/{slug}/")
    # headline counts, steering committee; the states panel: status counts, as-of date, events for the chart;
    # the events panel: next events; the site's: live actions, the states map, research figures, news
    with django_assert_num_queries(2 + 3 + 1 + 4):
        client.get("/")
    with django_assert_num_queries(2):  # count, page
        client.get("/api/v1/organisations/")


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_directory_and_map_work_in_every_language(client, language):
    OrganisationFactory(country="LB")  # Lebanon's position has decimals: 33.83, 35.83

    html = client.get(f"/{language}/members/").text

    assert f'lang="{language}"' in html
    assert "Member organisations" not in html  # the heading is translated
    cx = re.search(r'<circle cx="([^"]+)" cy="([^"]+)"', html)
    assert cx and "," not in cx.group(1) + cx.group(2)  # SVG numbers never take a decimal comma
