import coalition.events.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_rsvp_token_filled"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rsvp",
            name="token",
            field=models.CharField(
                default=coalition.events.models.new_rsvp_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="link secret",
            ),
        ),
    ]
