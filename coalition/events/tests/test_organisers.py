"""Organisers' tools: the attendee list and its CSV (personal data: the organisation's editors and staff
only), check-in at the door, and the report with photos shown on the event's page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from coalition.accounts.tests.factories import UserFactory
from coalition.events.models import RSVP, EventPartner
from coalition.events.tests.factories import EventFactory, PartnerFactory, RSVPFactory
from coalition.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org_a):
    event = EventFactory(organisation=org_a, capacity=10)
    RSVPFactory(event=event, name="Ana Attendee", email="ana@example.org", guests=1)
    RSVPFactory(event=event, name="Wim Waiting", email="wim@example.org", status=RSVP.Status.WAITING)
    return event


def test_an_editor_sees_the_attendee_list(client, edna, event):
    client.force_login(edna)

    html = client.get(reverse("events:attendees", args=[event.pk])).text

    assert "Ana Attendee" in html and "ana@example.org" in html and "Wim Waiting" in html


@pytest.mark.parametrize("who", ["anonymous", "sam", "bruno"])
def test_attendee_data_is_refused_to_everyone_else(client, event, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    for url in [
        reverse("events:attendees", args=[event.pk]),
        reverse("events:attendees", args=[event.pk]) + "?format=csv",
    ]:
        response = client.get(url)
        assert response.status_code in {302, 403}
        assert b"ana@example.org" not in (response.content if hasattr(response, "content") else b"")
    assert "ana@example.org" not in client.get(event.get_absolute_url()).text
    assert "ana@example.org" not in client.get(f"/api/v1/events/{event.pk}/").text


def test_a_co_hosts_editor_sees_the_attendee_list_and_a_promoters_or_another_organisations_does_not(
    client, event, bruno, org_b
):
    PartnerFactory(event=event, organisation=org_b, role=EventPartner.Role.CO_HOST)
    promoter = OrganisationFactory(name="Gamma Voices", slug="gamma-voices")
    PartnerFactory(event=event, organisation=promoter, role=EventPartner.Role.PROMOTER)
    client.force_login(bruno)

    assert "ana@example.org" in client.get(reverse("events:attendees", args=[event.pk])).text
    page = client.get(event.get_absolute_url()).text
    assert reverse("events:attendees", args=[event.pk]) in page and reverse("events:edit", args=[event.pk]) not in page
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403, "co-hosting is not organising"
    for outsider in (promoter, OrganisationFactory(name="Delta", slug="delta")):
        user = UserFactory(email=f"editor@{outsider.slug}.example.org")
        outsider.editors.add(user)
        client.force_login(user)
        assert client.get(reverse("events:attendees", args=[event.pk])).status_code == 403
        assert reverse("events:attendees", args=[event.pk]) not in client.get(event.get_absolute_url()).text


def test_staff_see_the_attendee_list(client, carol, event):
    client.force_login(carol)

    assert "ana@example.org" in client.get(reverse("events:attendees", args=[event.pk])).text


def test_the_attendee_list_downloads_as_csv(client, edna, event):
    client.force_login(edna)

    response = client.get(reverse("events:attendees", args=[event.pk]) + "?format=csv")

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0] == "name,email,guests,status,replied_at,checked_in_at,referred_by"
    assert lines[1].startswith("Ana Attendee,ana@example.org,1,confirmed,")
    assert "attachment" in response["Content-Disposition"]


def test_checking_in_at_the_door_and_taking_it_back(client, edna, event):
    client.force_login(edna)
    ana = RSVP.objects.get(email="ana@example.org")
    url = reverse("events:attendees", args=[event.pk])

    client.post(url, {"rsvp": ana.pk, "q": "ana"})
    ana.refresh_from_db()
    assert ana.checked_in_at is not None
    assert "Undo check-in of Ana Attendee" in client.get(url + "?q=ana").text

    client.post(url, {"rsvp": ana.pk, "undo": "on"})
    ana.refresh_from_db()
    assert ana.checked_in_at is None


def test_an_editor_cannot_check_in_a_reply_of_another_event(client, edna, event):
    other = RSVPFactory()
    client.force_login(edna)

    assert client.post(reverse("events:attendees", args=[event.pk]), {"rsvp": other.pk}).status_code == 404


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("crowd.png", buffer.getvalue(), content_type="image/png")


def test_after_the_event_the_report_with_a_photo_appears_on_its_page(client, edna, org_a):
    event = EventFactory(organisation=org_a, starts_at=timezone.now() - timedelta(hours=3))
    client.force_login(edna)

    response = client.post(
        reverse("events:report", args=[event.pk]),
        {"attendance": 42, "notes": "The mayor **promised** support.", "photo": _png(), "caption": "The hall"},
    )

    assert response.status_code == 302
    client.logout()
    html = client.get(event.get_absolute_url()).text
    assert "42 people came." in html and "<strong>promised</strong>" in html
    photo = event.report.photos.get()
    assert photo.get_absolute_url() in html and 'alt="The hall"' in html
    served = client.get(photo.get_absolute_url())
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_report_before_the_event_is_refused(client, edna, org_a):
    event = EventFactory(organisation=org_a)
    client.force_login(edna)

    response = client.post(reverse("events:report", args=[event.pk]), {"attendance": 5})

    assert "The report can be written once the event has started." in response.text
    assert not hasattr(event, "report") or event.report is None


def test_a_file_that_is_not_an_image_is_refused(client, edna, org_a):
    event = EventFactory(organisation=org_a, starts_at=timezone.now() - timedelta(hours=3))
    client.force_login(edna)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")

    response = client.post(reverse("events:report", args=[event.pk]), {"attendance": 5, "photo": fake})

    assert response.status_code == 200
    assert "Upload a valid image" in response.text


def test_my_events_lists_the_organisations_events_in_every_status(client, edna, org_a, org_b):
    EventFactory(organisation=org_a, title="Alpha draft", status="draft")
    EventFactory(organisation=org_b, title="Beta event")
    client.force_login(edna)

    html = client.get(reverse("events:mine")).text

    assert "Alpha draft" in html and "Beta event" not in html


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # caches warm (sessions, content types, translations)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_co_hosts_pages_run_the_same_number_of_queries_with_few_and_many_replies(
    client, event, bruno, org_b, django_assert_num_queries
):
    PartnerFactory(event=event, organisation=org_b, role=EventPartner.Role.CO_HOST)
    client.force_login(bruno)
    urls = [event.get_absolute_url(), reverse("events:attendees", args=[event.pk])]
    few = [_queries(client, url) for url in urls]
    RSVPFactory.create_batch(30, event=event)
    PartnerFactory.create_batch(3, event=event, role=EventPartner.Role.PROMOTER)

    for url, count in zip(urls, few, strict=True):
        with django_assert_num_queries(count):
            client.get(url)
