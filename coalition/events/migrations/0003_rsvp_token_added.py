"""Each reply gets a random link secret (docs/decisions/0401-events-opaque-links-and-photo-types.md).

In three steps, as Django's documentation does for a unique field on existing rows: the column is added
empty here, filled for every existing reply by 0004, and made unique and required by 0005.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_rsvp_erased_replies_share_the_blank_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="rsvp",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="link secret"),
        ),
    ]
