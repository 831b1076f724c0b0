"""Output serializers of the research API: approved, anonymised records and totals."""

from __future__ import annotations

from rest_framework import serializers

from coalition.research.models import Casualty


class CasualtyOutputSerializer(serializers.ModelSerializer):
    # An explicit list: the personal fields (name, address) are not and must never be in it.
    state = serializers.CharField(source="state_id")
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
            "civilian_status",
            "sex",
            "age_group",
            "activity",
            "phase",
            "strike_id",
            "source",
        ]


class CasualtySummarySerializer(serializers.Serializer):
    state = serializers.CharField(source="state_id")
    year = serializers.IntegerField()
    killed = serializers.IntegerField()
    injured = serializers.IntegerField()
    records = serializers.IntegerField()
