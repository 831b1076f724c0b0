"""The endpoints of the members and events apps."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coalition.accounts.tests.factories import PASSWORD
from coalition.events.models import Event
from coalition.members.models import Interest, Organisation
from tests.hostile_input.endpoint import FAKE_LINK, Endpoint, Fields, World, decision
from tests.hostile_input.kinds import (
    COUNTRIES,
    LANGUAGES,
    boolean,
    choice,
    date_kind,
    email,
    line,
    number,
    ref,
    several,
    text,
    token,
    upload,
    url,
)


def _profile(name: str, website: str, languages: str) -> Fields:
    """The organisation's profile as both the application to join and its editors' form ask for it (each with a
    description of its own length)."""
    return {
        "name": (name, line(200)),
        "type": ("ngo", choice(Organisation.Type.values)),
        "country": ("NO", choice(COUNTRIES)),
        "city": ("Oslo", line(120)),
        "website": (website, url()),
        "languages": (languages, line(200)),
    }


def _event_fields(w: World, *, creating: bool) -> Fields:
    starts = (timezone.localtime() + timedelta(days=30)).replace(hour=18, minute=0)
    fields: Fields = {
        "kind": ("public_meeting", choice(Event.Kind.values)),
        "title": ("Why the ban matters", line(200)),
        "description": ("An evening **with survivors**.", text(20_000)),
        "starts_at": (starts.strftime("%Y-%m-%dT%H:%M"), date_kind()),
        "ends_at": ((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), date_kind()),
        "timezone": ("Europe/Oslo", choice(["Europe/Oslo", "UTC", "Asia/Vientiane", "America/New_York"])),
        "language": ("en", choice(LANGUAGES)),
        "venue": ("Litteraturhuset", line(200)),
        "address": ("Wergelandsveien 29", line(300)),
        "city": ("Oslo", line(120)),
        "country": ("NO", choice(["", *COUNTRIES])),
        "address_visibility": ("public", choice(Event.AddressVisibility.values)),
        "latitude": ("59.92", number(-90, 90)),
        "longitude": ("10.74", number(-180, 180)),
        "online_url": ("https://example.org/live", url()),
        "capacity": ("80", number(0, 1_000_000)),
        "accessibility": ("Step-free access.", text(4_000)),
        **{f"{code}_title": ("", line(200)) for code in ("en", "fr", "es", "ar")},
        **{f"{code}_description": ("", text(4_000)) for code in ("en", "fr", "es", "ar")},
        "co_hosts": ([], ref(w.org_b.pk)),
        "promoters": ([], ref(w.org_b.pk)),
    }
    if creating:
        fields["organiser"] = (str(w.org_a.pk), ref(w.org_a.pk))
    return fields


ENDPOINTS: list[Endpoint] = [
    # --- members: the public forms, the editors' profile, the staff's tools
    Endpoint(
        "members: apply to join",
        lambda w: "/members/join/",
        None,
        lambda w: {
            **_profile("Gamma Mine Action", "https://gamma.example", "English, Lao"),
            "description": ("We clear remnants.", text(4_000)),
            "public_email": ("info@gamma.example", email()),
            "contact_name": ("Gil Gamma", line(200)),
            "contact_email": ("gil@gamma.example", email()),
            "motivation": ("To join the campaign.", text(4_000)),
        },
    ),
    Endpoint(
        "members: sign up as a supporter",
        lambda w: "/members/sign-up/",
        None,
        lambda w: {
            "name": ("Sam Signup", line(200)),
            "email": ("sam.signup@example.org", email()),
            "country": ("FR", choice(["", *COUNTRIES])),
            "languages": (["en"], several(["en", "fr", "es", "ar"])),
            "interests": ([], several(Interest.values)),
            "consent_newsletter": ("on", boolean()),
        },
    ),
    Endpoint(
        "members: ask for one's data link",
        lambda w: "/members/my-data/",
        None,
        lambda w: {"email": ("supporter@example.org", email())},
    ),
    Endpoint(
        "events: ask for one's reply links again",
        lambda w: "/events/reply/",
        None,
        lambda w: {"email": ("guest@example.org", email())},
    ),
    Endpoint(
        "accounts: a supporter turns two factors off with the password",
        lambda w: "/accounts/two-factor/turn-off/",
        lambda w: w.sam_with_two_factors,
        lambda w: {"password": (PASSWORD, line(4_096))},
    ),
    Endpoint(
        "members: erase one's data through the link",
        lambda w: "/members/my-data/{token}/",
        None,
        lambda w: {"confirm": ("on", boolean())},
        path=lambda w: {"token": (w.data_link, token())},
    ),
    Endpoint(
        "members: confirm a sign-up through the link",
        lambda w: "/members/sign-up/confirm/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    Endpoint(
        "members: an editor edits the profile",
        lambda w: f"/members/{w.org_a.slug}/edit/",
        lambda w: w.edna,
        lambda w: {
            **_profile("Alpha Aid", "https://alpha.example", "English"),
            "description": ("We help survivors.", text(20_000)),
            "logo": ("", upload()),
            "contact_email": ("info@alpha.example", email()),
        },
        edits=lambda w: [w.org_a],
    ),
    Endpoint(
        "members: staff change an organisation's status",
        lambda w: f"/members/staff/organisations/{w.org_b.slug}/status/",
        lambda w: w.carol,
        lambda w: {"status": ("suspended", choice(Organisation.Status.values)), "note": ("Lapsed dues", line(500))},
        edits=lambda w: [w.org_b],
    ),
    decision(
        "members: staff decide on an application",
        "application",
        "/members/staff/applications/{pk}/",
        ("reject", ["approve", "reject"]),
        ("message", "Not a civil-society organisation."),
    ),
    Endpoint(
        "members: staff import organisations",
        lambda w: "/members/staff/organisations/import/",
        lambda w: w.carol,
        lambda w: {
            "file": ("", upload()),
            "csv_text": ("name,country\nDelta Demining,NO\n", text(10**9)),
            "confirm": ("", boolean()),
        },
    ),
    # --- events
    Endpoint(
        "events: reply to an event",
        lambda w: f"/events/{w.published_event.pk}/rsvp/",
        None,
        lambda w: {
            "name": ("Ada Lovelace", line(200)),
            "email": ("ada@example.org", email()),
            "guests": ("1", number(0, 5)),
        },
    ),
    Endpoint(
        "events: cancel one's reply through the link",
        lambda w: "/events/reply/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (FAKE_LINK, token())},
    ),
    Endpoint(
        "events: an editor creates an event",
        lambda w: "/events/new/",
        lambda w: w.edna,
        lambda w: _event_fields(w, creating=True),
    ),
    Endpoint(
        "events: an editor edits an event",
        lambda w: f"/events/{w.draft_event.pk}/edit/",
        lambda w: w.edna,
        lambda w: _event_fields(w, creating=False),
        edits=lambda w: [w.draft_event],
    ),
    Endpoint(
        "events: an editor cancels an event",
        lambda w: f"/events/{w.published_event.pk}/cancel/",
        lambda w: w.edna,
        lambda w: {"reason": ("The venue closed.", text(4_000))},
        edits=lambda w: [w.published_event],
    ),
    Endpoint(
        "events: an editor checks someone in",
        lambda w: f"/events/{w.rsvp.event_id}/attendees/",
        lambda w: w.edna,
        lambda w: {"rsvp": (str(w.rsvp.pk), ref(w.rsvp.pk)), "undo": ("", boolean()), "q": ("Ada", line(100))},
    ),
    Endpoint(
        "events: an editor writes the report",
        lambda w: f"/events/{w.past_event.pk}/report/",
        lambda w: w.edna,
        lambda w: {
            "attendance": ("40", number(0, 1_000_000)),
            "notes": ("Good questions from the floor.", text(20_000)),
            "photo": ("", upload()),
            "caption": ("The panel", line(200)),
        },
    ),
    Endpoint(
        "events: an editor removes a report photo",
        lambda w: f"/events/{w.report_photo.report.event_id}/report/",
        lambda w: w.edna,
        lambda w: {"delete_photo": (str(w.report_photo.pk), ref(w.report_photo.pk))},
    ),
    decision(
        "events: staff moderate an event",
        "submitted_event",
        "/events/{pk}/review/",
        ("send_back", ["publish", "send_back"]),
        ("comment", "Add the address."),
    ),
]
