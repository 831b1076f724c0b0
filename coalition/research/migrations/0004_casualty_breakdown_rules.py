"""Casualty breakdowns, second step (decision 0602): the one-person columns go, the rules become constraints, and
the totals are recounted by state and year with every breakdown. A migration of its own: on PostgreSQL a table
cannot be altered in the transaction that just updated its rows (0003).
"""

import django.db.models.expressions
from django.db import migrations, models
from django.db.models import Count, Sum

OUTCOMES = ("killed", "injured")
NAMES = ["female", "male", "children", "adults", "girls", "boys", "women", "men", "civilians", "military", "deminers"]


def recount_totals(apps, schema_editor):
    Casualty = apps.get_model("research", "Casualty")
    CasualtyTotal = apps.get_model("research", "CasualtyTotal")
    fields = ["killed", "injured", *(f"{outcome}_{name}" for outcome in OUTCOMES for name in NAMES)]
    rows = (
        Casualty.objects.filter(status="approved")
        .values("state_id", "year")
        .annotate(n=Count("id"), **{f"sum_{name}": Sum(name) for name in fields})
        .order_by()
    )
    CasualtyTotal.objects.bulk_create(
        (
            CasualtyTotal(
                state_id=row["state_id"], year=row["year"], records=row["n"], **{f: row[f"sum_{f}"] for f in fields}
            )
            for row in rows.iterator(chunk_size=5000)
        ),
        batch_size=500,
    )




class Migration(migrations.Migration):

    dependencies = [
        ("research", "0003_casualty_breakdowns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='casualty',
            name='age_group',
        ),
        migrations.RemoveField(
            model_name='casualty',
            name='civilian_status',
        ),
        migrations.RemoveField(
            model_name='casualty',
            name='sex',
        ),
        migrations.AddIndex(
            model_name='casualty',
            index=models.Index(fields=['source', 'external_id'], name='research_ca_source__fa4ce8_idx'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed__gte', django.db.models.expressions.CombinedExpression(models.F('killed_female'), '+', models.F('killed_male')))), name='research_casualty_killed_female_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed__gte', django.db.models.expressions.CombinedExpression(models.F('killed_children'), '+', models.F('killed_adults')))), name='research_casualty_killed_children_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('killed_girls'), '+', models.F('killed_boys')), '+', models.F('killed_women')), '+', models.F('killed_men')))), name='research_casualty_killed_girls_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('killed_civilians'), '+', models.F('killed_military')), '+', models.F('killed_deminers')))), name='research_casualty_killed_civilians_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed_female__gte', django.db.models.expressions.CombinedExpression(models.F('killed_girls'), '+', models.F('killed_women')))), name='research_casualty_killed_female_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed_male__gte', django.db.models.expressions.CombinedExpression(models.F('killed_boys'), '+', models.F('killed_men')))), name='research_casualty_killed_male_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed_children__gte', django.db.models.expressions.CombinedExpression(models.F('killed_girls'), '+', models.F('killed_boys')))), name='research_casualty_killed_children_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('killed_adults__gte', django.db.models.expressions.CombinedExpression(models.F('killed_women'), '+', models.F('killed_men')))), name='research_casualty_killed_adults_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured__gte', django.db.models.expressions.CombinedExpression(models.F('injured_female'), '+', models.F('injured_male')))), name='research_casualty_injured_female_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured__gte', django.db.models.expressions.CombinedExpression(models.F('injured_children'), '+', models.F('injured_adults')))), name='research_casualty_injured_children_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('injured_girls'), '+', models.F('injured_boys')), '+', models.F('injured_women')), '+', models.F('injured_men')))), name='research_casualty_injured_girls_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('injured_civilians'), '+', models.F('injured_military')), '+', models.F('injured_deminers')))), name='research_casualty_injured_civilians_within_total'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured_female__gte', django.db.models.expressions.CombinedExpression(models.F('injured_girls'), '+', models.F('injured_women')))), name='research_casualty_injured_female_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured_male__gte', django.db.models.expressions.CombinedExpression(models.F('injured_boys'), '+', models.F('injured_men')))), name='research_casualty_injured_male_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured_children__gte', django.db.models.expressions.CombinedExpression(models.F('injured_girls'), '+', models.F('injured_boys')))), name='research_casualty_injured_children_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualty',
            constraint=models.CheckConstraint(condition=models.Q(('injured_adults__gte', django.db.models.expressions.CombinedExpression(models.F('injured_women'), '+', models.F('injured_men')))), name='research_casualty_injured_adults_holds_its_parts'),
        ),
        migrations.AddConstraint(
            model_name='casualtytotal',
            constraint=models.UniqueConstraint(fields=('state', 'year'), name='research_one_total_per_state_year'),
        ),
        migrations.RunPython(recount_totals, migrations.RunPython.noop),
    ]
