from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coalition.states import obligations, selectors
from coalition.states.models import TREATY_STATUS_FIELDS, Meeting, Participation, State, TreatyEvent


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
            *TREATY_STATUS_FIELDS,
            "url",
        ]

    def get_url(self, state: State) -> str:
        return state.get_absolute_url()


class ExtensionSerializer(serializers.Serializer):
    granted = serializers.DateField(source="date", help_text="When the extension was granted")
    new_deadline = serializers.DateField()
    source = serializers.CharField()  # type: ignore[assignment]


class ObligationSerializer(serializers.Serializer):
    """One obligation of a state party under the Convention; the status is derived from dated records."""

    article = serializers.ChoiceField(
        choices=obligations.ARTICLES,
        help_text="7.1 initial transparency report (180 days after entry into force); 7.2 annual report (30 April "
        "each year); 3.2 stockpile destruction (8 years, extensions under 3(5)); 4.1 clearance (10 years, extensions "
        "under 4(5)); 9 national implementation measures (no deadline: reported or not)",
    )
    status = serializers.ChoiceField(
        choices=obligations.STATUSES,
        help_text="met: a dated record says it was done (met_on, source); pending: the deadline is more than 90 days "
        "away; due_soon: within 90 days; overdue: the deadline passed with nothing recorded; extended: an extension "
        "moved the deadline, which is more than 90 days away",
    )
    due = serializers.DateField(allow_null=True, help_text="The deadline in force, after any extension")
    original_due = serializers.DateField(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    met_year_only = serializers.BooleanField(help_text="The source gives only the year of met_on")
    source = serializers.CharField()  # type: ignore[assignment]
    missing_periods = serializers.ListField(
        child=serializers.IntegerField(), help_text="Article 7(2): the calendar years whose report is missing"
    )
    extensions = ExtensionSerializer(many=True)


class StateObligationsSerializer(serializers.Serializer):
    iso3 = serializers.CharField(source="state.iso3")
    reason = serializers.ChoiceField(
        choices=["", obligations.NOT_A_PARTY, obligations.NO_ENTRY_INTO_FORCE],
        source="result.reason",
        help_text="Why the state has no deadline (not a state party, or no entry-into-force date); empty otherwise",
    )
    obligations = ObligationSerializer(source="items", many=True)


class StateDetailSerializer(StateSerializer):
    events = serializers.SerializerMethodField()
    obligations = serializers.SerializerMethodField()

    class Meta(StateSerializer.Meta):
        fields = [*StateSerializer.Meta.fields, "events", "obligations"]

    @extend_schema_field(StateObligationsSerializer)
    def get_obligations(self, state: State) -> dict:
        return StateObligationsSerializer(selectors.state_obligations(state)).data

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
