"""A random link secret for every existing reply; links sent before this no longer work (their page says how
to get a new one)."""

import secrets

from django.db import migrations


def fill_tokens(apps, schema_editor):
    RSVP = apps.get_model("events", "RSVP")
    pending = RSVP.objects.filter(token__isnull=True).only("pk").order_by("pk")
    while True:
        batch = list(pending[:1000])
        if not batch:
            break
        for rsvp in batch:
            rsvp.token = secrets.token_urlsafe(32)
        RSVP.objects.bulk_update(batch, ["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_rsvp_token_added"),
    ]

    operations = [
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
    ]
