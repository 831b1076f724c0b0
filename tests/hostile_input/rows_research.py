"""The endpoints of the research app."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.research.models import BREAKDOWN_FIELDS, Casualty, ContaminatedArea, PlacedRecord, Strike
from tests.hostile_input.endpoint import Endpoint, Fields, decision
from tests.hostile_input.kinds import boolean, choice, clearance, date_kind, line, number, ref, text, upload, url

PLACE = {
    "state": ("LAO", ref("LAO")),
    "place_name": ("Ban Phone", line(200)),
    "admin_area": ("Xekong", line(200)),
    "latitude": ("15.35", number(-90, 90)),
    "longitude": ("106.72", number(-180, 180)),
    "location_precision": ("approximate", choice(PlacedRecord.Precision.values)),
    "date": ("2021-04-02", date_kind()),
    "date_end": ("", date_kind()),
    "new_source": ("Alpha Aid field visit, April 2021", line(300)),
    "source_url": ("https://example.org/visit", url()),
}
A_GIRL_KILLED = {"killed_female", "killed_children", "killed_girls", "killed_civilians"}
RECORD_FIELDS: dict[str, Fields] = {
    "casualty": {
        "killed": ("1", number(0, 1_000_000)),
        "injured": ("0", number(0, 1_000_000)),
        # Breakdowns of the counts (decision 0602): each optional, none above the total.
        **{name: ("1" if name in A_GIRL_KILLED else "0", number(0, 1_000_000)) for name in BREAKDOWN_FIELDS},
        "activity": ("Collecting firewood", line(200)),
        "phase": ("remnant", choice(Casualty.Phase.values)),
        "external_id": ("A-12", line(100)),
        "name": ("Noy Phimmasone", line(200)),
        "address": ("House 12, Ban Phone", line(300)),
        **PLACE,
    },
    "strike": {
        "munition_type": ("BLU-26/B", line(100)),
        "delivery": ("air_dropped", choice(Strike.Delivery.values)),
        "party_responsible": ("Unknown", line(200)),
        "submunitions": ("600", number(0, 10_000_000)),
        "failure_observations": ("Many duds in rice fields.", text(20_000)),
        **PLACE,
    },
    "area": {
        "hazard_status": ("confirmed", choice(ContaminatedArea.HazardStatus.values)),
        "area_m2": ("25000", number(0, 100_000_000_000)),
        "polygon_text": ("15.1 106.2, 15.2 106.3, 15.1 106.4", text(20_000)),
        "clearance_text": ("2022: 15000, 2023: 40000", clearance(100_000_000_000)),
        **PLACE,
    },
    "report": {
        "title": ("Survey of remnants", line(300)),
        "authors": ("Alpha Aid", line(300)),
        "published_on": ("2023-03-01", date_kind()),
        "summary": ("What we found.", text(20_000)),
        "states": (["LAO"], ref("LAO")),
        "attachment": ("", upload()),
    },
}


def _record(kind: str) -> list[Endpoint]:
    return [
        Endpoint(
            f"research: a researcher creates a {kind}",
            lambda w: f"/research/workspace/{kind}/new/",
            lambda w: w.rita,
            lambda w: RECORD_FIELDS[kind],
            needs=("laos",),
        ),
        Endpoint(
            f"research: a researcher edits a {kind}",
            lambda w: f"/research/workspace/{kind}/{w.draft_records[kind].pk}/edit/",
            lambda w: w.rita,
            lambda w: RECORD_FIELDS[kind],
            edits=lambda w: [w.draft_records[kind]],
        ),
    ]


ENDPOINTS: list[Endpoint] = [
    # --- research
    *_record("casualty"),
    *_record("strike"),
    *_record("area"),
    *_record("report"),
    Endpoint(
        "research: a researcher adds an attachment",
        lambda w: f"/research/reports/{w.draft_records['report'].pk}/attachments/add/",
        lambda w: w.rita,
        lambda w: {"attachment": ("", upload())},
    ),
    decision(
        "research: a reviewer decides on a record",
        "submitted_casualty",
        "/research/review/casualty/{pk}/decide/",
        ("request_changes", ["approve", "request_changes", "reject"]),
        ("comment", "Which source?"),
        by="vera",
    ),
    Endpoint(
        "research: a reviewer assigns a record",
        lambda w: f"/research/review/casualty/{w.submitted_casualty.pk}/assign/",
        lambda w: w.vera,
        lambda w: {"reviewer": (str(w.vera.pk), ref(w.vera.pk))},
    ),
    Endpoint(
        "research: a reviewer approves records in bulk",
        lambda w: "/research/review/approve/",
        lambda w: w.vera,
        lambda w: {
            "kind": ("casualty", choice(["casualty", "strike", "area", "report"])),
            "records": ([str(w.submitted_casualty.pk)], ref(w.submitted_casualty.pk)),
        },
    ),
    Endpoint(
        "research: a reviewer imports a file",
        lambda w: "/research/import/",
        lambda w: w.vera,
        lambda w: {
            "file": (SimpleUploadedFile("casualties.csv", b"state,date,killed\nLAO,2021-01-01,1\n"), upload()),
            "approve": ("", boolean()),
            "apply": ("", boolean()),
        },
    ),
]
