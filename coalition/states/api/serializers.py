from __future__ import annotations

from rest_framework import serializers

from coalition.states.models import Meeting, Participation, State, TreatyEvent


class TreatyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TreatyEvent
        fields = ["kind", "date", "derived", "title", "source", "note"]


class StateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = State
        fields = [
            "iso3",
            "country",
            "name",
            "region",
            "subregion",
            "status",
            "signed",
            "ratified",
            "method",
            "entry_into_force",
            "entry_into_force_derived",
            "withdrawn",
            "url",
        ]

    def get_url(self, state: State) -> str:
        return state.get_absolute_url()


class StateDetailSerializer(StateSerializer):
    events = serializers.SerializerMethodField()

    class Meta(StateSerializer.Meta):
        fields = [*StateSerializer.Meta.fields, "events"]

    def get_events(self, state: State) -> list[dict]:
        current = [e for e in state.events.all() if e.superseded_by_id is None]
        return TreatyEventSerializer(current, many=True).data  # type: ignore[return-value]


class MeetingSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", allow_null=True)
    participants = serializers.SerializerMethodField(help_text="ISO3 codes of the participating states")
    observers = serializers.SerializerMethodField(help_text="ISO3 codes of the observer states")

    class Meta:
        model = Meeting
        fields = ["slug", "name", "kind", "city", "country", "start", "end", "participants", "observers"]

    def get_participants(self, meeting: Meeting) -> list[str]:
        return [p.state_id for p in meeting.participations.all() if p.role == Participation.Role.PARTICIPANT]

    def get_observers(self, meeting: Meeting) -> list[str]:
        return [p.state_id for p in meeting.participations.all() if p.role == Participation.Role.OBSERVER]
