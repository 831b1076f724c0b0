"""Casualty records hold counts broken down by sex, age and status (decision 0602).

A record of one person (sex, age group and civilian status) becomes the same record with a count of one in each
breakdown that was known: a girl killed is 1 killed, 1 female, 1 child, 1 girl (and 1 civilian if so); a record of
several people of the same description likewise, with its counts. Totals are derived: dropped here, recounted by 0004.
"""

import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

OUTCOMES = ("killed", "injured")
NAMES = ["female", "male", "children", "adults", "girls", "boys", "women", "men", "civilians", "military", "deminers"]
# (old field and value) → the breakdown it fills, for killed and for injured.
SINGLE = [
    ({"sex": "female"}, "female"),
    ({"sex": "male"}, "male"),
    ({"age_group": "child"}, "children"),
    ({"age_group": "adult"}, "adults"),
    ({"sex": "female", "age_group": "child"}, "girls"),
    ({"sex": "male", "age_group": "child"}, "boys"),
    ({"sex": "female", "age_group": "adult"}, "women"),
    ({"sex": "male", "age_group": "adult"}, "men"),
    ({"civilian_status": "civilian"}, "civilians"),
    ({"civilian_status": "military"}, "military"),
    ({"civilian_status": "deminer"}, "deminers"),
]


def forget_totals(apps, schema_editor):
    apps.get_model("research", "CasualtyTotal").objects.all().delete()


def fill_breakdowns(apps, schema_editor):
    Casualty = apps.get_model("research", "Casualty")
    for where, name in SINGLE:
        Casualty.objects.filter(**where).update(**{f"{outcome}_{name}": F(outcome) for outcome in OUTCOMES})


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_supporter_sign_ups'),
        ('research', '0002_forget_exports_with_exact_coordinates'),
        ('states', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='casualtytotal',
            name='research_one_total_per_bucket',
        ),
        migrations.RemoveField(
            model_name='casualtytotal',
            name='age_group',
        ),
        migrations.RemoveField(
            model_name='casualtytotal',
            name='civilian_status',
        ),
        migrations.RemoveField(
            model_name='casualtytotal',
            name='sex',
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_adults',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (adults)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_boys',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (boys)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_children',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (children)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_civilians',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (civilians)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_deminers',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (deminers)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_female',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (female)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_girls',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (girls)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_male',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (male)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_men',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (men)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_military',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (military or security forces)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='injured_women',
            field=models.PositiveIntegerField(default=0, verbose_name='injured (women)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_adults',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (adults)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_boys',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (boys)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_children',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (children)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_civilians',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (civilians)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_deminers',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (deminers)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_female',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (female)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_girls',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (girls)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_male',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (male)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_men',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (men)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_military',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (military or security forces)'),
        ),
        migrations.AddField(
            model_name='casualty',
            name='killed_women',
            field=models.PositiveIntegerField(default=0, verbose_name='killed (women)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_adults',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (adults)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_boys',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (boys)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_children',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (children)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_civilians',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (civilians)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_deminers',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (deminers)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_female',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (female)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_girls',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (girls)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_male',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (male)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_men',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (men)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_military',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (military or security forces)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='injured_women',
            field=models.PositiveBigIntegerField(default=0, verbose_name='injured (women)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_adults',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (adults)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_boys',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (boys)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_children',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (children)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_civilians',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (civilians)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_deminers',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (deminers)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_female',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (female)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_girls',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (girls)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_male',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (male)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_men',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (men)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_military',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (military or security forces)'),
        ),
        migrations.AddField(
            model_name='casualtytotal',
            name='killed_women',
            field=models.PositiveBigIntegerField(default=0, verbose_name='killed (women)'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='unchanged',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='importjob',
            name='updated',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(forget_totals, migrations.RunPython.noop),
        migrations.RunPython(fill_breakdowns, migrations.RunPython.noop),
    ]
