"""Restore the database and uploaded files from a backup archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace this installation's database and uploaded files with a backup made by `manage.py backup`. "
        "Stop the web server and workers first. Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input(f"Replace ALL current data with {options['archive']}? Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        log = (lambda message: self.stdout.write(message)) if options["verbosity"] >= 1 else (lambda message: None)
        try:
            backup_restore(archive_path=options["archive"], log=log)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Restore complete."))
