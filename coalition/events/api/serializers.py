from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coalition.events.models import Event
from coalition.events.organising import PLACE_FIELDS
from coalition.lib.api.serializers import PublicPageSerializer
from coalition.lib.markdown import render_markdown


class EventOutputSerializer(PublicPageSerializer):
    """Public fields of an event. The street address and coordinates are empty unless the organisers made
    them public; replies (personal data) are never here, only their counts."""

    organisation = serializers.CharField(source="organisation.slug", help_text="Slug of the organising member.")
    organisation_name = serializers.CharField(source="organisation.name")
    co_hosts = serializers.SerializerMethodField(help_text="Slugs of co-hosting members.")
    promoters = serializers.SerializerMethodField(help_text="Slugs of members promoting the event.")
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code, or empty.")
    description_html = serializers.SerializerMethodField(help_text="The Markdown description, rendered and sanitised.")
    venue = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    starts_at_local = serializers.SerializerMethodField(help_text="Start in the event's own time zone (ISO 8601).")
    ends_at_local = serializers.SerializerMethodField(help_text="End in the event's own time zone (ISO 8601).")
    places_left = serializers.IntegerField(allow_null=True, help_text="Null when there is no limit.")
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "description",
            "description_html",
            "organisation",
            "organisation_name",
            "co_hosts",
            "promoters",
            *PLACE_FIELDS,
            "starts_at",
            "ends_at",
            "timezone",
            "starts_at_local",
            "ends_at_local",
            "language",
            "capacity",
            "places_taken",
            "places_left",
            "accessibility",
            "url",
            "ics_url",
        ]

    def _partners(self, obj: Event, role: str) -> list[str]:
        return [p.organisation.slug for p in obj.partnerships.all() if p.role == role]

    def get_co_hosts(self, obj: Event) -> list[str]:
        return self._partners(obj, "co_host")

    def get_promoters(self, obj: Event) -> list[str]:
        return self._partners(obj, "promoter")

    def get_description_html(self, obj: Event) -> str:
        return str(render_markdown(obj.description))

    def _public(self, obj: Event, value: Any) -> Any:
        return value if obj.address_is_public else None

    def get_venue(self, obj: Event) -> str | None:
        return self._public(obj, obj.venue)

    def get_address(self, obj: Event) -> str | None:
        return self._public(obj, obj.address)

    def get_latitude(self, obj: Event) -> float | None:
        return self._public(obj, float(obj.latitude) if obj.latitude is not None else None)

    def get_longitude(self, obj: Event) -> float | None:
        return self._public(obj, float(obj.longitude) if obj.longitude is not None else None)

    def get_starts_at_local(self, obj: Event) -> str:
        return obj.starts_local.isoformat()

    def get_ends_at_local(self, obj: Event) -> str:
        return obj.ends_local.isoformat()

    def get_ics_url(self, obj: Event) -> str:
        from django.urls import reverse

        return self.absolute(reverse("events:ics", args=[obj.pk]))
