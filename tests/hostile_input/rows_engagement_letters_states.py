"""The endpoints of the engagement, letters and states apps."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coalition.letters.models import Action, Letter
from coalition.letters.models import Role as OfficialRole
from coalition.states.models import NationalMeasure
from tests.hostile_input.endpoint import Endpoint, Fields, World
from tests.hostile_input.kinds import boolean, choice, date_kind, email, line, number, ref, several, text, token, upload


def _official_meeting_fields(w: World) -> Fields:
    from coalition.engagement.models import Topic

    return {
        "state": ("NOR", ref("NOR")),
        "organisation": (str(w.org_a.pk), ref(w.org_a.pk)),
        "held_on": ((timezone.localdate() - timedelta(days=1)).isoformat(), date_kind()),
        "status": ("held", choice(["planned", "held", "cancelled"])),
        "format": ("in_person", choice(["in_person", "call", "letters"])),
        "positions": ([str(w.norway_minister.pk)], several([str(w.norway_minister.pk)])),
        "other_officials": ("Kari Nordmann; Adviser", text(4_000)),
        "attendees": ("Edna Editor; Alpha Aid", text(4_000)),
        "topics": (["ratification"], several(Topic.values)),
        "topics_other": ("Transit", line(200)),
        "stated_position": ("considering", choice(["not_stated", "supportive", "considering", "undecided", "opposed"])),
        "commitments": ("Table the bill", text(4_000)),
        "outcome": ("The minister **listened**.", text(20_000)),
        "visibility": ("coalition", choice(["coalition", "restricted"])),
        "attachment": ("", upload()),
    }


def _official_meeting_filters(w: World) -> Fields:
    return {
        "state": ("NOR", ref("NOR")),
        "organisation": (str(w.org_a.pk), ref(w.org_a.pk)),
        "official": ("Ingrid", line(100)),
        "date_from": ("2020-01-01", date_kind()),
        "date_to": ("", date_kind()),
        "commitment_status": ("made", choice(["made", "in_progress", "kept", "broken"])),
        "page": ("1", ref(1)),
    }


def _measure_fields(w: World) -> Fields:
    return {
        "kind": ("moratorium", choice(NationalMeasure.Kind.values)),
        "title": ("Moratorium on use", line(200)),
        "status": ("in_force", choice(NationalMeasure.Status.values)),
        "description": ("Announced by the government.", text(20_000)),
        "started": ("2020-01-01", date_kind()),
        "deadline": ("", date_kind()),
        "completed": ("", date_kind()),
        "munitions_destroyed": ("100", number(0)),
        "munitions_remaining": ("", number(0)),
        "submunitions_destroyed": ("", number(0)),
        "submunitions_remaining": ("", number(0)),
        "source": ("https://example.org/measure", text(20_000)),
    }


def _action_editor_fields(w: World, *, slug: str) -> Fields:
    minister = w.live_action.positions.get()
    fields: Fields = {
        "title": ("Ask the minister", line(200)),
        "slug": (slug, line(80)),
        "ask": ("Join the Convention.", text(20_000)),
        "background": ("", text(20_000)),
        "language": ("en", choice(["en", "fr", "es", "ar"])),
        "languages": (["en", "fr"], several(["en", "fr", "es", "ar"])),
        "letter_subject": ("Please join", line(200)),
        "letter_template": ("Please join the Convention on Cluster Munitions.", text(20_000)),
        "goal": ("500", number(0, 2_147_483_647)),
        "starts_on": ("2025-01-01", date_kind()),
        "ends_on": ("", date_kind()),
        "target": ("fixed", choice(Action.Target.values)),
        "target_role": ("", choice(["", *OfficialRole.values])),
        "target_treaty_status": ("", choice(["", "state_party", "signatory", "non_signatory"])),
        "positions": ([str(minister.pk)], ref(minister.pk)),
        "show_replies": ("on", boolean()),
        "save": ("1", boolean()),
    }
    for code in ("en", "fr", "es", "ar"):
        offered = code == "fr"
        fields[f"{code}_title"] = ("Écrivez" if offered else "", line(200))
        fields[f"{code}_ask"] = ("Adhérez." if offered else "", text(5_000))
        fields[f"{code}_background"] = ("", text(5_000))
        fields[f"{code}_letter_subject"] = ("Adhérez" if offered else "", line(200))
        fields[f"{code}_letter_template"] = ("Adhérez à la Convention." if offered else "", text(5_000))
    return fields


def _letter_fields(w: World) -> Fields:
    return {
        "body": (w.live_action.letter_template, text(20_000)),
        "name": ("Ana Writer", line(200)),
        "email": ("ana@example.org", email()),
        "town": ("Bergen", line(200)),
        "delivery": ("email", choice(Letter.Delivery.values)),
        "agree": ("on", boolean()),
        "action_alerts": ("", boolean()),
    }


ENDPOINTS: list[Endpoint] = [
    # --- engagement
    Endpoint(
        "engagement: an editor records a meeting with officials",
        lambda w: "/engagement/meetings/new/",
        lambda w: w.edna,
        lambda w: _official_meeting_fields(w),
    ),
    Endpoint(
        "engagement: an editor edits a meeting with officials",
        lambda w: f"/engagement/meetings/{w.official_meeting.pk}/edit/",
        lambda w: w.edna,
        lambda w: _official_meeting_fields(w),
        edits=lambda w: [w.official_meeting],
    ),
    Endpoint(
        "engagement: an editor sets a commitment's status",
        lambda w: (
            f"/engagement/meetings/{w.official_meeting.pk}/commitments/{w.official_meeting.commitments.get().pk}/"
        ),
        lambda w: w.edna,
        lambda w: {"status": ("kept", choice(["made", "in_progress", "kept", "broken"]))},
        edits=lambda w: [w.official_meeting.commitments.get()],
    ),
    Endpoint(
        "engagement: an editor creates a follow-up",
        lambda w: "/engagement/follow-ups/new/",
        lambda w: w.edna,
        lambda w: {
            "title": ("Send the briefing", line(200)),
            "owner": (str(w.edna.pk), ref(w.edna.pk)),
            "due_on": ((timezone.localdate() + timedelta(days=5)).isoformat(), date_kind()),
            "notes": ("Ask about the bill.", text(4_000)),
            "state": ("NOR", ref("NOR")),
            "meeting": (str(w.official_meeting.pk), number(1)),
            "commitment": ("", number(1)),
        },
    ),
    Endpoint(
        "engagement: staff add a delegate",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/",
        lambda w: w.carol,
        lambda w: {
            "form": ("delegate", choice(["create", "delegate", "assign"])),
            "user": (str(w.bruno.pk), ref(w.bruno.pk)),
            "arrives_on": ("2030-09-01", date_kind()),
            "leaves_on": ("2030-09-05", date_kind()),
        },
    ),
    Endpoint(
        "engagement: staff assign a state to a delegate",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/",
        lambda w: w.carol,
        lambda w: {
            "form": ("assign", choice(["create", "delegate", "assign"])),
            "delegate": (str(w.msp_delegation.delegates.get().pk), ref(w.msp_delegation.delegates.get().pk)),
            "state": ("NOR", ref("NOR")),
            "asks": ("Ratify before the next meeting.", text(4_000)),
        },
    ),
    Endpoint(
        "engagement: a delegate logs a bilateral",
        lambda w: f"/meetings/{w.msp_delegation.meeting.slug}/delegation/log/",
        lambda w: w.edna,
        lambda w: {
            "state": ("NOR", ref("NOR")),
            "held_on": (timezone.localdate().isoformat(), date_kind()),
            "officials": ("Ambassador Berg; Permanent Representative", text(4_000)),
            "stated_position": (
                "supportive",
                choice(["not_stated", "supportive", "considering", "undecided", "opposed"]),
            ),
            "outcome": ("Positive.", text(20_000)),
            "commitments": ("Announce ratification", text(4_000)),
            "visibility": ("coalition", choice(["coalition", "restricted"])),
            "follow_up_title": ("Send the kit", line(200)),
            "follow_up_due": ((timezone.localdate() + timedelta(days=7)).isoformat(), date_kind()),
        },
    ),
    *[
        Endpoint(
            f"engagement: the meetings {page}'s filters",
            lambda w, path=path: path,
            lambda w: w.edna,
            _official_meeting_filters,
            method="get",
            needs=("official_meeting",),
        )
        for page, path in [("list", "/engagement/meetings/"), ("export", "/engagement/meetings/export.csv")]
    ],
    Endpoint(
        "engagement: the follow-ups list's choices",
        lambda w: "/engagement/follow-ups/",
        lambda w: w.carol,
        lambda w: {
            "who": ("everyone", choice(["everyone", "mine"])),
            "show": ("all", choice(["all", "open"])),
            "page": ("1", ref(1)),
        },
        method="get",
    ),
    # --- letters
    Endpoint(
        "letters: write a letter",
        lambda w: f"/act/{w.live_action.slug}/",
        None,
        _letter_fields,
    ),
    Endpoint(
        "letters: preview a letter",
        lambda w: f"/act/{w.live_action.slug}/",
        None,
        lambda w: {**_letter_fields(w), "preview": ("1", boolean())},
    ),
    Endpoint(
        "letters: confirm a letter through the link",
        lambda w: "/act/confirm/{token}/",
        None,
        lambda w: {},
        path=lambda w: {"token": (w.confirm_link, token())},
    ),
    Endpoint(
        "letters: answer the follow-up question",
        lambda w: "/act/replied/{token}/",
        None,
        lambda w: {f"m{m.pk}": ("yes", choice(["yes", "no"])) for m in w.letter_link[1]},
        path=lambda w: {"token": (w.letter_link[0], token())},
    ),
    Endpoint(
        "letters: a campaigner creates an action in the editor",
        lambda w: "/act/staff/new/",
        lambda w: w.carol,
        lambda w: _action_editor_fields(w, slug="new-action"),
    ),
    Endpoint(
        "letters: a campaigner edits an action in the editor",
        lambda w: f"/act/{w.live_action.slug}/staff/edit/",
        lambda w: w.carol,
        lambda w: _action_editor_fields(w, slug=w.live_action.slug),
        edits=lambda w: [w.live_action],
    ),
    Endpoint(
        "letters: staff release or reject a held message",
        lambda w: f"/act/{w.live_action.slug}/staff/review/{w.held_message.pk}/",
        lambda w: w.carol,
        lambda w: {"decision": ("reject", choice(["release", "reject"]))},
    ),
    # --- states
    Endpoint(
        "states: staff add a national measure",
        lambda w: "/states/NOR/measures/new/",
        lambda w: w.carol,
        _measure_fields,
        needs=("norway",),
    ),
    Endpoint(
        "states: staff edit a national measure",
        lambda w: f"/states/measures/{w.measure.pk}/edit/",
        lambda w: w.carol,
        _measure_fields,
        edits=lambda w: [w.measure],
    ),
]
