"""Back up the database and uploaded files into one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive (database + uploaded files + manifest of row counts) to var/backups/ or --output. "
        "Safe while the site runs; run it daily from cron and copy the archive off the machine."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path, help="where to write the .tar.gz archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_create(output=options["output"], log=self._log(options["verbosity"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(path)))

    def _log(self, verbosity: int) -> Any:
        return (lambda message: self.stdout.write(message)) if verbosity >= 1 else (lambda message: None)
