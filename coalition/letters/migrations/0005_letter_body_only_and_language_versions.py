"""Letter templates hold the body only (the greeting and signature are added for each official), and an action
has an original language and versions in other languages (decision 0505).

Templates written the old way lose their greeting line and sign-off, and any merge field left in their body
becomes plain words, so no visitor sees `{{ … }}` in the letter box."""

from __future__ import annotations

from django.db import migrations, models

from coalition.letters.merge import body_only


def templates_to_body_only(apps, schema_editor):
    Action = apps.get_model("letters", "Action")
    for action in Action.objects.only("pk", "letter_template").iterator():
        body = body_only(action.letter_template)
        if body != action.letter_template:
            Action.objects.filter(pk=action.pk).update(letter_template=body)


class Migration(migrations.Migration):
    dependencies = [("letters", "0004_cap_per_official_across_actions")]

    operations = [
        migrations.AddField(
            model_name="action",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "French"), ("es", "Spanish"), ("ar", "Arabic")],
                default="en",
                max_length=10,
                verbose_name="original language",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="translations",
            field=models.JSONField(blank=True, default=dict, verbose_name="versions in other languages"),
        ),
        migrations.AlterField(
            model_name="action",
            name="letter_template",
            field=models.TextField(
                help_text="The body of the letter only: the greeting and the writer's signature are added for each official.",
                verbose_name="letter template",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="letter_subject",
            field=models.CharField(
                help_text="May name the official or the writer: {{ official_name }}, {{ supporter_town }}…",
                max_length=200,
                verbose_name="subject of the letter",
            ),
        ),
        migrations.RunPython(templates_to_body_only, migrations.RunPython.noop),
    ]
