"""The daily cap counts every action together: one ledger row per official and day, and each message
remembers the day whose place it holds, so an erased message can give it back."""

from __future__ import annotations

from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import TruncDate


def merge_slots(apps, schema_editor):
    """One row per official and day: the counts of every action's row added into the first."""
    DailySlot = apps.get_model("letters", "DailySlot")
    shared = (
        DailySlot.objects.values("position_id", "day")
        .annotate(total=Sum("count"), n=models.Count("pk"), first=models.Min("pk"))
        .filter(n__gt=1)
    )
    for row in shared.iterator():
        DailySlot.objects.filter(pk=row["first"]).update(count=row["total"])
        DailySlot.objects.filter(position_id=row["position_id"], day=row["day"]).exclude(pk=row["first"]).delete()


def remember_cap_days(apps, schema_editor):
    """Messages still queued hold the place of the day they are to be sent."""
    Message = apps.get_model("letters", "Message")
    Message.objects.filter(status="pending", send_after__isnull=False).update(cap_day=TruncDate("send_after"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_person_identifiers_term_party")]

    operations = [
        migrations.RemoveConstraint(model_name="dailyslot", name="letters_one_slot_per_day"),
        migrations.RunPython(merge_slots, migrations.RunPython.noop),
        migrations.RemoveField(model_name="dailyslot", name="action"),
        migrations.AddConstraint(
            model_name="dailyslot",
            constraint=models.UniqueConstraint(fields=["position", "day"], name="letters_one_slot_per_official_day"),
        ),
        migrations.AddField(
            model_name="message",
            name="cap_day",
            field=models.DateField(blank=True, null=True, verbose_name="day under the cap"),
        ),
        migrations.RunPython(remember_cap_days, migrations.RunPython.noop),
    ]
