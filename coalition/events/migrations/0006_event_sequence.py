"""The calendar revision (iCalendar SEQUENCE) becomes a stored number raised by the services on each change
that matters to a calendar. Until now the feed computed it as the seconds between creation and the last edit;
existing events start from that value, so no calendar that already holds one sees its revision go back (a
client ignores an update whose SEQUENCE is lower than the one it has)."""

from django.db import migrations, models


def start_from_the_computed_sequence(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    events = Event.objects.only("pk", "created_at", "updated_at").order_by("pk")
    batch = []
    for event in events.iterator(chunk_size=1000):
        event.sequence = max(0, int(event.updated_at.timestamp()) - int(event.created_at.timestamp()))
        batch.append(event)
        if len(batch) == 1000:
            Event.objects.bulk_update(batch, ["sequence"])
            batch = []
    Event.objects.bulk_update(batch, ["sequence"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_rsvp_token_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="calendar revision"),
        ),
        migrations.RunPython(start_from_the_computed_sequence, migrations.RunPython.noop, elidable=True),
    ]
