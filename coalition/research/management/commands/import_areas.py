"""`manage.py import_areas FILE`: load contaminated areas from CSV, HXL-tagged CSV or GeoJSON."""

from __future__ import annotations

from coalition.research.management.commands._place_import import PlaceImportCommand


class Command(PlaceImportCommand):
    kind = "area"
    label = "contaminated areas"
    help = (
        "Import contaminated areas from a CSV file (headers as in the area export: id, state, date, place, "
        "latitude, longitude, hazard_status, area_m2, source…), an HXL-tagged CSV file (#site+id, #country+code, "
        "#status, #site+area…) or a GeoJSON FeatureCollection (.geojson: the same names as properties; a Polygon "
        "geometry is the area's outline, a Point its place). Run it with --dry-run first: it reports every bad row "
        "and changes nothing. All or nothing; a row whose id names an area already kept updates it. Rows await "
        "review unless --approve is given."
    )
