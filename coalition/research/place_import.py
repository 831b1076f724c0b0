"""Import of strikes and contaminated areas from CSV, HXL-tagged CSV or (areas) GeoJSON: checked row by row, all
or nothing, every bad row named; a row whose identifier names a record already kept updates it (decision 0602).

Files are far smaller than casualty files (a strike or an area is a survey, not a person), so rows go through the
ORM in batches; the columns and tags are those of the exports (`exporting.STRIKE_COLUMNS`, `AREA_COLUMNS`), so an
export imports back unchanged.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.models import User
from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.members.models import Organisation
from coalition.research import selectors, services, validation
from coalition.research.importing.checks import RowChecker, unneutralised
from coalition.research.importing.spec import OWN_ID_PREFIX, Problem, is_tag_row, normalise_tag
from coalition.research.models import ContaminatedArea, PlacedRecord, Strike

BATCH = 1_000


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    hxl: str
    kind: str = "text"  # text, count, choice
    limit: int = 200  # characters of text, or the largest count
    choices: tuple[str, ...] = ()


PLACE = [
    Column("state", "state", "#country+code"),
    Column("date", "date", "#date+occurred"),
    Column("date_end", "date_end", "#date+end"),
    Column("place_name", "place", "#loc+name"),
    Column("admin_area", "admin_area", "#adm1+name"),
    Column("latitude", "latitude", "#geo+lat"),
    Column("longitude", "longitude", "#geo+lon"),
    Column("location_precision", "location_precision", "#geo+precision", "choice", 0, tuple(PlacedRecord.Precision)),
    Column("source", "source", "#meta+source", limit=300),
]
COLUMNS: dict[str, list[Column]] = {
    "strike": [
        Column("external_id", "id", "#event+id", limit=100),
        *PLACE,
        Column("munition_type", "munition_type", "#item+type", limit=100),
        Column("delivery", "delivery", "#event+delivery", "choice", 0, tuple(Strike.Delivery)),
        Column("party_responsible", "party_responsible", "#group+name"),
        Column("submunitions", "submunitions", "#item+num", "count", validation.MAX_SUBMUNITIONS),
        Column("failure_observations", "failure_observations", "#description+failure", limit=20_000),
    ],
    "area": [
        Column("external_id", "id", "#site+id", limit=100),
        *PLACE,
        Column("hazard_status", "hazard_status", "#status", "choice", 0, tuple(ContaminatedArea.HazardStatus)),
        Column("area_m2", "area_m2", "#site+area", "count", validation.MAX_AREA_M2),
    ],
}
MODELS: dict[str, type[Strike] | type[ContaminatedArea]] = {"strike": Strike, "area": ContaminatedArea}
DEFAULTS = {"location_precision": PlacedRecord.Precision.APPROXIMATE}


@dataclass
class Report:
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    format: str = "CSV"
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


Rows = Iterator[tuple[int, dict[str, Any]]]


def _csv_rows(kind: str, handle: IO[str], report: Report) -> Rows:
    reader = csv.reader(handle)
    header = next(reader, [])
    second = next(reader, None)
    tags: list[str] | None = None
    pending: list[list[str]] = []
    if is_tag_row(header):
        tags = header
    elif second is not None and is_tag_row(second):
        tags = second
    if second is not None and tags is not second:
        pending = [second]
    by_header = {column.header: column for column in COLUMNS[kind]}
    by_tag = {normalise_tag(column.hxl): column for column in COLUMNS[kind]}
    mapped: list[Column | None] = []
    for index, name in enumerate(header):
        column: Column | None
        if tags is not None:
            tag = tags[index].strip() if index < len(tags) else ""
            column = by_tag.get(normalise_tag(tag)) if tag else None
            if tag and column is None:
                report.errors.append(Problem(1, name or tag, _("unknown HXL tag %(tag)s") % {"tag": tag}))
        else:
            column = by_header.get(name.strip().lower())
            if name.strip() and column is None:
                report.errors.append(Problem(1, name, _("unknown column")))
        mapped.append(column)
    report.format = "HXL" if tags is not None else "CSV"
    present = {column.field for column in mapped if column}
    for required in ("state", "date"):
        if required not in present:
            report.errors.append(Problem(1, required, _("column is missing")))
    start = 2 if tags is header or tags is None else 3
    for number, cells in enumerate(chain(pending, reader), start):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, {c.field: cells[i].strip() for i, c in enumerate(mapped) if c and i < len(cells)}


def _geojson_rows(kind: str, handle: IO[str], report: Report) -> Rows:
    """Features as rows (numbered from 1): properties named as the CSV headers, the geometry giving the point or,
    for an area, its outline (a Polygon's outer ring)."""
    report.format = "GeoJSON"
    try:
        data = json.load(handle)
    except json.JSONDecodeError as exc:
        report.errors.append(Problem(0, "file", _("not JSON: %(error)s") % {"error": exc}))
        return
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        report.errors.append(Problem(0, "file", _("not a GeoJSON FeatureCollection")))
        return
    by_header = {column.header: column for column in COLUMNS[kind]}
    for number, feature in enumerate(data["features"], 1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            report.errors.append(Problem(number, "properties", _("a feature without properties")))
            continue
        values: dict[str, Any] = {}
        for key, value in properties.items():
            column = by_header.get(str(key).strip().lower())
            if column is None:
                report.errors.append(Problem(number, str(key), _("unknown property")))
            else:
                values[column.field] = "" if value is None else str(value).strip()
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or [None, None]
            values["longitude"], values["latitude"] = (str(c) for c in coordinates[:2])
        elif isinstance(geometry, dict) and geometry.get("type") == "Polygon" and kind == "area":
            rings = geometry.get("coordinates") or [[]]
            values["polygon"] = rings[0] if rings else []
        elif geometry is not None:
            report.errors.append(
                Problem(
                    number,
                    "geometry",
                    _("%(type)s: only a Point, or an area's Polygon, can be read")
                    % {"type": geometry.get("type") if isinstance(geometry, dict) else geometry},
                )
            )
        yield number, values


def _ring(ring: Any, row: int, problems: list[Problem]) -> list[list[float]] | None:
    if not isinstance(ring, list) or len(ring) < 4:
        problems.append(Problem(row, "geometry", _("an outline needs at least three corners, closed")))
        return None
    out: list[list[float]] = []
    for point in ring:
        try:
            lon, lat = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError):
            problems.append(
                Problem(row, "geometry", _("%(point)r is not a [longitude, latitude] pair") % {"point": point})
            )
            return None
        problem = validation.coordinates_problem(lat, lon)
        if problem:
            problems.append(Problem(row, "geometry", problem))
            return None
        out.append([lon, lat])
    if out[0] != out[-1]:
        problems.append(Problem(row, "geometry", _("the outline's last corner is not its first")))
        return None
    return out


def _check(
    kind: str, checker: RowChecker, row: int, values: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[Problem], list[Problem]]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    out: dict[str, Any] = {}
    code = str(values.get("state", "")).upper()
    out["state_id"] = checker.iso3.get(code)
    if not code:
        problems.append(Problem(row, "state", _("is required")))
    elif out["state_id"] is None:
        problems.append(Problem(row, "state", _("unknown state code %(code)r") % {"code": code}))
    for name in ("date", "date_end"):
        text = values.get(name, "")
        out[name] = checker._date(text, name, problems, row) if text else None
    if not values.get("date"):
        problems.append(Problem(row, "date", _("is required")))
    if out["date"] and out["date_end"] and out["date_end"] < out["date"]:
        problems.append(Problem(row, "date_end", _("is before the date")))
    for name in ("latitude", "longitude"):
        if name in values:
            out[name] = checker._float(values[name], name, problems, row)
    latitude, longitude = out.get("latitude"), out.get("longitude")
    problem = validation.coordinates_problem(latitude, longitude)
    if problem:
        problems.append(Problem(row, "latitude/longitude", problem))
    elif out["state_id"] and validation.outside_state(out["state_id"], latitude, longitude):
        warnings.append(
            Problem(
                row,
                "latitude/longitude",
                _("%(lat)s, %(lon)s is outside %(state)s's rough bounds")
                % {"lat": latitude, "lon": longitude, "state": out["state_id"]},
            )
        )
    for column in COLUMNS[kind]:
        if column.field in {"state", "date", "date_end", "latitude", "longitude", "source"}:
            continue
        if column.field not in values:
            continue
        text = unneutralised(str(values[column.field]))
        if column.kind == "choice":
            value = text.lower() or DEFAULTS.get(column.field, column.choices[0] if column.choices else "")
            if kind == "strike" and column.field == "delivery" and not text:
                value = Strike.Delivery.UNKNOWN
            if kind == "area" and column.field == "hazard_status" and not text:
                value = ContaminatedArea.HazardStatus.SUSPECTED
            if value not in column.choices:
                problems.append(
                    Problem(
                        row,
                        column.header,
                        _("%(value)r is not one of %(allowed)s")
                        % {"value": text, "allowed": ", ".join(column.choices)},
                    )
                )
            out[column.field] = value
        elif column.kind == "count":
            out[column.field] = checker._number(text, column.header, problems, row, column.limit) if text else None
        else:
            if len(text) > column.limit:
                problems.append(
                    Problem(row, column.header, _("longer than %(limit)s characters") % {"limit": column.limit})
                )
            out[column.field] = text
    out["source"] = unneutralised(str(values.get("source", "")))[:300] or checker.default_source
    if "polygon" in values:
        out["polygon"] = _ring(values["polygon"], row, problems)
    return (None if problems else out), problems, warnings


def _same(record: PlacedRecord, name: str, value: Any) -> bool:
    current = getattr(record, name)
    if name in {"latitude", "longitude"} and current is not None and value is not None:
        return value in {current, selectors.public_coordinate(record, current)}  # an export's rounded position
    return bool(current == value)


def places_import(
    *,
    kind: str,
    handle: IO[str],
    geojson: bool = False,
    dry_run: bool,
    by: User | Actor,
    organisation: Organisation | None = None,
    approve: bool = False,
    default_source: str = "",
    on_problem: Callable[[str, Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    report: Report | None = None,
) -> Report:
    """Check (and unless `dry_run`, import) every row of a strike or area file; `ImportRejected` if any is bad.

    A row whose identifier (`id`) names a record already kept — from the same source, or `coalition-<id>` as the
    exports name records without one — updates it when something differs (with its history entry, and the import's
    status: approved, or awaiting review again) and leaves it alone otherwise.
    """
    report = report if report is not None else Report()
    model = MODELS[kind]
    checker = RowChecker(default_source=default_source or _("Import of %(kind)s records") % {"kind": kind})
    run = services.ImportRun(by=by, organisation=organisation, approve=approve, source=default_source)
    status = run.status
    rows = _geojson_rows(kind, handle, report) if geojson else _csv_rows(kind, handle, report)

    def problem(kind_: str, item: Problem) -> None:
        (report.errors if kind_ == "error" else report.warnings).append(item)
        if on_problem:
            on_problem(kind_, item)

    checked_rows: list[tuple[int, dict[str, Any]]] = []
    reported = 0
    for number, values in rows:
        for item in report.errors[reported:]:
            if on_problem:
                on_problem("error", item)
        reported = len(report.errors)
        checked, problems, warnings = _check(kind, checker, number, values)
        for item in problems:
            problem("error", item)
        for item in warnings:
            problem("warning", item)
        reported = len(report.errors)
        if checked is not None:
            checked_rows.append((number, checked))
        report.rows += 1
        if on_progress and report.rows % BATCH == 0:
            on_progress(report.rows)
    for item in report.errors[reported:]:
        if on_problem:
            on_problem("error", item)
    if report.errors:
        raise ImportRejected([str(p) for p in report.errors])

    with transaction.atomic():
        sources: dict[str, int] = {}
        existing = {
            (source_id, external_id): pk
            for source_id, external_id, pk in model._default_manager.exclude(external_id="").values_list(
                "source_id", "external_id", "pk"
            )
        }
        seen: dict[tuple[int, str], int] = {}
        new: list[PlacedRecord] = []
        updates: list[tuple[int, int, dict[str, Any]]] = []
        for number, values in checked_rows:
            title = values.pop("source")
            values["source_id"] = (
                services.source_for_title(title, sources)
                if not dry_run
                else sources.setdefault(title, -len(sources) - 1)
            )
            external = values.get("external_id", "")
            pk = None
            if external:
                key = (values["source_id"], external)
                if key in seen:
                    problem(
                        "error",
                        Problem(
                            number,
                            "id",
                            _("%(id)r is already the identifier of row %(row)s from the same source")
                            % {"id": external, "row": seen[key]},
                        ),
                    )
                    continue
                seen[key] = number
                pk = existing.get(key)
                own = external[len(OWN_ID_PREFIX) :] if external.startswith(OWN_ID_PREFIX) else ""
                if pk is None and own.isdecimal() and len(own) <= 18:
                    pk = model._default_manager.filter(pk=int(own)).values_list("pk", flat=True).first()
                    if pk is not None:
                        values.pop("external_id")  # ours: it keeps its own (empty) identifier
            if pk is not None:
                updates.append((number, pk, values))
            else:
                new.append(
                    model(
                        **values,
                        organisation=organisation,
                        status=status,
                        created_by=by if isinstance(by, User) else None,
                    )
                )
        if report.errors:
            raise ImportRejected([str(p) for p in report.errors])
        now = timezone.now()
        for record in new:
            record.submitted_at = now
            record.reviewed_at = now if approve else None
        if not dry_run:
            model._default_manager.bulk_create(new, batch_size=BATCH)  # type: ignore[arg-type]
        report.imported = len(new) if not dry_run else 0
        for _number, pk, values in updates:
            record = model._default_manager.get(pk=pk)
            differs = [name for name, value in values.items() if not _same(record, name, value)]
            if not differs:
                report.unchanged += 1
                continue
            report.updated += 1
            if not dry_run:
                changes = {name: values[name] for name in differs}
                services.record_import_update(record=record, values=changes, run=run, at=now)
        if not dry_run:
            label = f"{model._meta.verbose_name} import: {default_source or '-'}"
            services.import_audit(run=run, counts=report, label=label, kind=kind)
    if on_progress:
        on_progress(report.rows)
    return report
