from __future__ import annotations

from rest_framework import serializers

from coalition.letters.models import Action
from coalition.lib.api.serializers import PublicPageSerializer


class ActionOutputSerializer(PublicPageSerializer):
    """Public fields and kept counts; nothing about the writers."""

    confirmed_count = serializers.IntegerField(help_text="Messages confirmed by their writers.")
    sent_count = serializers.IntegerField(help_text="Messages delivered to officials.")
    progress_percent = serializers.IntegerField(help_text="Confirmed messages against the goal, 0–100.")

    class Meta:
        model = Action
        fields = [
            "slug",
            "title",
            "ask",
            "background",
            "target",
            "target_role",
            "target_treaty_status",
            "goal",
            "starts_on",
            "ends_on",
            "languages",
            "confirmed_count",
            "sent_count",
            "progress_percent",
            "url",
        ]
