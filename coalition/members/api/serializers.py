from __future__ import annotations

from rest_framework import serializers

from coalition.lib.api.serializers import PublicPageSerializer
from coalition.members.models import Organisation


class OrganisationOutputSerializer(PublicPageSerializer):
    """Public fields only: nothing here is personal data (the contact address is the organisation's own)."""

    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code, or empty.")
    country_name = serializers.CharField(source="country.name")
    steering_committee = serializers.BooleanField(
        source="on_committee", help_text="Holds a Steering Committee seat today."
    )
    joined = serializers.CharField(source="joined_display", help_text="As precisely as it is known.")
    logo = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "type",
            "country",
            "country_name",
            "city",
            "website",
            "description",
            "languages",
            "joined_on",
            "joined",
            "founding_member",
            "steering_committee",
            "contact_email",
            "logo",
            "url",
        ]

    def get_logo(self, obj: Organisation) -> str | None:
        return self.absolute(obj.logo.url) if obj.logo else None
