"""`manage.py import_strikes FILE`: load cluster munition strikes from CSV or HXL-tagged CSV."""

from __future__ import annotations

from coalition.research.management.commands._place_import import PlaceImportCommand


class Command(PlaceImportCommand):
    kind = "strike"
    label = "strikes"
    help = (
        "Import strikes from a CSV file (headers as in the strike export: id, state, date, place, latitude, "
        "longitude, munition_type, delivery, party_responsible, submunitions, source…) or an HXL-tagged CSV file "
        "(#event+id, #country+code, #date+occurred, #item+type, #item+num…). Run it with --dry-run first: it "
        "reports every bad row and changes nothing. All or nothing; a row whose id names a strike already kept "
        "updates it. Rows await review unless --approve is given."
    )
