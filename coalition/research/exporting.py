"""Exports of approved records as CSV, HXL-tagged CSV and GeoJSON, streamed row by row.

Only the columns listed here are ever written, and none of them is personal: a casualty's name and
address cannot reach an export even by mistake, because the querysets never load them.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from coalition.lib.csv_export import csv_lines
from coalition.research.models import (
    BREAKDOWN_FIELDS,
    BREAKDOWNS,
    OUTCOMES,
    Casualty,
    ContaminatedArea,
    ExportJob,
    JobStatus,
    Status,
    Strike,
)
from coalition.research.selectors import PublicFilters, public_point

OWN_ID_PREFIX = "coalition-"  # importing.spec.OWN_ID_PREFIX: how a re-imported export names our own records


@dataclass(frozen=True)
class ExportColumn:
    header: str
    hxl: str
    get: Callable[[Any], Any]


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


PLACE = [
    ExportColumn("state", "#country+code", lambda r: r.state_id),
    ExportColumn("date", "#date+occurred", lambda r: _date(r.date)),
    ExportColumn("date_end", "#date+end", lambda r: _date(r.date_end)),
    ExportColumn("place", "#loc+name", lambda r: r.place_name),
    ExportColumn("admin_area", "#adm1+name", lambda r: r.admin_area),
    # Never the stored value: the public one (two decimals for casualties and strikes).
    ExportColumn("latitude", "#geo+lat", lambda r: public_point(r)[0]),
    ExportColumn("longitude", "#geo+lon", lambda r: public_point(r)[1]),
    ExportColumn("location_precision", "#geo+precision", lambda r: r.location_precision),
]
SOURCE = ExportColumn("source", "#meta+source", lambda r: r.source.title)
PLACE_FIELDS = [
    "id",
    "state_id",
    "date",
    "date_end",
    "place_name",
    "admin_area",
    "latitude",
    "longitude",
    "location_precision",
    "source__title",
]


def _count(name: str) -> Callable[[Any], Any]:
    return lambda r: getattr(r, name)


# The importer reads these same headers and tags back (see importing.spec.COLUMNS). HXL treats #affected as a count:
# every breakdown is one count column with its attributes (#affected+killed+f+children), as humanitarian datasets
# publish them; text goes under text hashtags.
CASUALTY_COLUMNS = [
    ExportColumn("id", "#meta+id", lambda r: r.external_id or f"{OWN_ID_PREFIX}{r.pk}"),
    *PLACE,
    ExportColumn("killed", "#affected+killed", _count("killed")),
    ExportColumn("injured", "#affected+injured", _count("injured")),
    *(
        ExportColumn(
            f"{outcome}_{b.name}", "+".join(["#affected", outcome, *b.attributes]), _count(f"{outcome}_{b.name}")
        )
        for outcome in OUTCOMES
        for b in BREAKDOWNS
    ),
    ExportColumn("activity", "#description+activity", lambda r: r.activity),
    ExportColumn("phase", "#event+type", lambda r: r.phase),
    SOURCE,
]
STRIKE_COLUMNS = [
    ExportColumn("id", "#event+id", lambda r: r.external_id or f"{OWN_ID_PREFIX}{r.pk}"),
    *PLACE,
    ExportColumn("munition_type", "#item+type", lambda r: r.munition_type),
    ExportColumn("delivery", "#event+delivery", lambda r: r.delivery),
    ExportColumn("party_responsible", "#group+name", lambda r: r.party_responsible),
    ExportColumn("submunitions", "#item+num", lambda r: r.submunitions if r.submunitions is not None else ""),
    SOURCE,
]
AREA_COLUMNS = [
    ExportColumn("id", "#site+id", lambda r: r.external_id or f"{OWN_ID_PREFIX}{r.pk}"),
    *PLACE,
    ExportColumn("hazard_status", "#status", lambda r: r.hazard_status),
    ExportColumn("area_m2", "#site+area", lambda r: r.area_m2 if r.area_m2 is not None else ""),
    SOURCE,
]

SPECS: dict[str, tuple[type[Any], list[ExportColumn], list[str]]] = {
    "casualty": (
        Casualty,
        CASUALTY_COLUMNS,
        [*PLACE_FIELDS, "external_id", "killed", "injured", *BREAKDOWN_FIELDS, "activity", "phase"],
    ),
    "strike": (
        Strike,
        STRIKE_COLUMNS,
        [*PLACE_FIELDS, "external_id", "munition_type", "delivery", "party_responsible", "submunitions"],
    ),
    "area": (ContaminatedArea, AREA_COLUMNS, [*PLACE_FIELDS, "external_id", "hazard_status", "area_m2", "polygon"]),
}
FORMATS = {"csv": "text/csv", "hxl": "text/csv", "geojson": "application/geo+json"}
EXTENSIONS = {"csv": "csv", "hxl": "hxl.csv", "geojson": "geojson"}
CHUNK = 2_000
# Chunks of `export_lines` that are not records: the header (and HXL's tag row), or GeoJSON's opening and closing.
FRAME_LINES = {"csv": 1, "hxl": 2, "geojson": 2}


def export_queryset(kind: str, filters: PublicFilters) -> QuerySet[Any]:
    model, _columns, fields = SPECS[kind]
    queryset = model.objects.filter(filters.dated_q() if kind != "casualty" else filters.casualty_q())
    if kind == "casualty":
        queryset = queryset.filter(status=Status.APPROVED)
    return queryset.select_related("source").only(*fields).order_by("date", "id")


def export_lines(kind: str, fmt: str, filters: PublicFilters) -> Iterator[str]:
    """The export as a stream of text chunks, never holding more than one chunk of records.

    CSV and HXL go through the project's one CSV writer (`lib.csv_export`), which neutralises formulas.
    """
    _model, columns, _fields = SPECS[kind]
    rows = export_queryset(kind, filters).iterator(chunk_size=CHUNK)
    if fmt == "geojson":
        yield from _geojson(rows, columns)
        return
    tags = [[column.hxl for column in columns]] if fmt == "hxl" else []
    records = ([column.get(record) for column in columns] for record in rows)
    yield from csv_lines(chain(tags, records), header=[column.header for column in columns])


def _geojson(rows: Iterator[Any], columns: list[ExportColumn]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for record in rows:
        polygon = getattr(record, "polygon", None)
        if polygon:
            geometry: dict[str, Any] | None = {"type": "Polygon", "coordinates": [polygon]}
        else:
            latitude, longitude = public_point(record)
            has_point = latitude is not None and longitude is not None
            geometry = {"type": "Point", "coordinates": [longitude, latitude]} if has_point else None
        properties = {
            column.header: column.get(record) for column in columns if column.header not in {"latitude", "longitude"}
        }
        feature = json.dumps({"type": "Feature", "geometry": geometry, "properties": properties}, ensure_ascii=False)
        yield ("" if first else ",") + feature
        first = False
    yield "]}"


def export_count(kind: str, filters: PublicFilters) -> int:
    return export_queryset(kind, filters).count()


def filename(kind: str, fmt: str) -> str:
    return f"{kind}-{timezone.localdate():%Y%m%d}.{EXTENSIONS[fmt]}"


def export_job_build(*, job_id: int) -> str:
    """Write a large export to a file for its download link. Idempotent: a finished job is left alone."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status == JobStatus.DONE:
        return "already done"
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    filters = PublicFilters(**job.filters)
    rows = 0
    # A temporary file, not memory: an export of a million rows stays out of the worker's RAM.
    with tempfile.TemporaryFile() as spool:
        for chunk in export_lines(job.kind, job.format, filters):
            spool.write(chunk.encode("utf-8"))
            rows += 1
        spool.seek(0)
        job.file.save(filename(job.kind, job.format), File(spool), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        file=job.file.name,
        rows=max(0, rows - FRAME_LINES[job.format]),
        finished_at=timezone.now(),
    )
    return "done"
