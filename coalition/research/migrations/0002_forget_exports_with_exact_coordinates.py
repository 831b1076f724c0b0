"""Exports built before public coordinates were rounded (and before formulas were neutralised) hold casualties' and
strikes' exact positions, and anyone with the link may still download them: their files and jobs are removed.
Asking for the same export again builds a new one under the current rules."""

from __future__ import annotations

from django.db import migrations


def forget_old_exports(apps, schema_editor):
    ExportJob = apps.get_model("research", "ExportJob")
    for job in ExportJob.objects.exclude(file="").iterator():
        try:
            job.file.delete(save=False)
        except OSError:
            pass  # already gone: the row goes all the same
    ExportJob.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.RunPython(forget_old_exports, migrations.RunPython.noop)]
