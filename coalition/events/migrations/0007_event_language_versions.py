"""An event has its title and description in other languages than its own (decision 0505)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_sequence")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="translations",
            field=models.JSONField(blank=True, default=dict, verbose_name="versions in other languages"),
        ),
    ]
