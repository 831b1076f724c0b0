"""Output serializers of the research API: approved, anonymised records and totals."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coalition.research import selectors
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, PlacedRecord


class PublicCoordinateField(serializers.FloatField):
    """A latitude or longitude as the public may see it: rounded by `selectors.public_coordinate`."""

    def __init__(self, *, model: type[PlacedRecord], **kwargs: Any) -> None:
        self.model = model
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return selectors.public_coordinate(self.model, float(value))


class CasualtyOutputSerializer(serializers.ModelSerializer):
    # An explicit list: the personal fields (name, address) are not and must never be in it.
    state = serializers.CharField(source="state_id")
    latitude = PublicCoordinateField(
        model=Casualty, help_text="Decimal degrees, rounded to 0.01 (about 1 km) in public."
    )
    longitude = PublicCoordinateField(
        model=Casualty, help_text="Decimal degrees, rounded to 0.01 (about 1 km) in public."
    )
    source = serializers.CharField(source="source.title")  # type: ignore[assignment]  # a field named "source"

    class Meta:
        model = Casualty
        fields = [
            "id",
            "state",
            "date",
            "date_end",
            "year",
            "place_name",
            "admin_area",
            "latitude",
            "longitude",
            "location_precision",
            "killed",
            "injured",
            *BREAKDOWN_FIELDS,
            "activity",
            "phase",
            "strike_id",
            "source",
        ]


def _breakdown_help(name: str) -> str:
    outcome, group = name.split("_", 1)
    return (
        f"Of the {outcome}, how many were known to be {group} (the rest of the {outcome} count is unknown for this "
        "breakdown)."
    )


class CasualtySummarySerializer(serializers.Serializer):
    state = serializers.CharField(source="state_id")
    year = serializers.IntegerField()
    killed = serializers.IntegerField()
    injured = serializers.IntegerField()
    records = serializers.IntegerField()
    locals().update({name: serializers.IntegerField(help_text=_breakdown_help(name)) for name in BREAKDOWN_FIELDS})
